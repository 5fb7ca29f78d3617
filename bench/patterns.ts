import { BACKTEST_DEFAULTS } from '../backtest';
import { scaleToMean, type Trace } from '../sim';

const DAY = 86_400;
const STEP = 300;
/** 2024-03-04 00:04 UTC, a Monday; samples fall at :04, :09, ... as in NAB's CloudWatch traces. */
const START = 1_709_510_400 + 240;

/**
 * Load patterns the sample traces lack, generated with seeded noise, to see how the recommended policy
 * generalizes: an hourly job (shaped like NAB's ec2_network_in_257a54, which peaks at :59 and :09 every
 * hour) and a working day (flat nights and weekends, a step at 09:00 and 17:00), 14 days at 5 minutes;
 * and flash crowds on a noisy one-minute metric, 14 days at 1 minute.
 */
export function patternTraces(): { name: string; trace: Trace }[] {
  return [
    { name: 'hourly job (generated)', trace: generate(STEP, (t, noise) => (minuteOfHour(t) === 59 || minuteOfHour(t) === 9 ? 3_235_000 : 245_000) * (1 + 0.05 * noise())) },
    { name: 'working day (generated)', trace: generate(STEP, (t, noise) => (isWorkingHour(t) ? 30_000 : 500) * (1 + 0.1 * noise())) },
    { name: 'flash crowds on a noisy minute metric (generated)', trace: flashCrowds() },
  ];
}

/**
 * A year at 1-minute resolution, as `scaler history` would give it: a daily cycle, quieter weekends,
 * about 6% noise on every datapoint, and one 6-hour outage of the metric (no datapoints) in March.
 */
export function yearOfMinutes(): Trace {
  const outage = (t: number) => t >= START + 20 * DAY && t < START + 20 * DAY + 6 * 3600;
  const trace = generate(60, (t, noise) => 100 * (1 + 0.5 * Math.sin(2 * Math.PI * ((t % DAY) / DAY - 0.3))) * (isWeekend(t) ? 0.6 : 1) * (1 + 0.1 * noise()), 365);
  const keep = trace.times.flatMap((t, i) => (outage(t) ? [] : [i]));
  return { times: keep.map((i) => trace.times[i]!), values: keep.map((i) => trace.values[i]!) };
}

function generate(step: number, value: (t: number, noise: () => number) => number, days = 14): Trace {
  const noise = seededNoise(7);
  const times: number[] = [];
  const values: number[] = [];
  for (let t = START; t < START + days * DAY; t += step) {
    times.push(t);
    values.push(value(t, noise));
  }
  return scaleToMean({ times, values }, BACKTEST_DEFAULTS.mean);
}

/**
 * A daily cycle at one-minute resolution with about 6% noise on every datapoint (uniform, ±10%), as a
 * request-count metric has, and one flash crowd a day at a random time: load rises smoothly to 2 to 5
 * times its level over 5 to 20 minutes, stays 5 to 30 minutes and falls back over 10 to 40.
 */
function flashCrowds(): Trace {
  const random = seededNoise(23);
  const between = (lo: number, hi: number) => lo + ((random() + 1) / 2) * (hi - lo);
  const crowds = Array.from({ length: 14 }, (_, day) => ({
    start: START + day * DAY + Math.floor(between(0, 1440)) * 60,
    rise: Math.round(between(5, 20)) * 60,
    hold: Math.round(between(5, 30)) * 60,
    fall: Math.round(between(10, 40)) * 60,
    height: between(1, 4),
  }));
  const surge = (t: number) =>
    Math.max(
      0,
      ...crowds.map((c) => {
        const s = t - c.start;
        if (s < 0 || s >= c.rise + c.hold + c.fall) return 0;
        const x = s < c.rise ? s / c.rise : s < c.rise + c.hold ? 1 : 1 - (s - c.rise - c.hold) / c.fall;
        return c.height * x * x * (3 - 2 * x);
      }),
    );
  const daily = (t: number) => 1 + 0.5 * Math.sin(2 * Math.PI * (((t % DAY) / DAY) - 0.3));
  return generate(60, (t, noise) => 100 * daily(t) * (1 + surge(t)) * (1 + 0.1 * noise()));
}

const minuteOfHour = (t: number) => Math.floor((t % 3600) / 60);
const isWeekend = (t: number) => Math.floor((t - START) / DAY) % 7 >= 5;

function isWorkingHour(t: number): boolean {
  const weekday = Math.floor((t - START) / DAY) % 7 < 5;
  const hour = (t % DAY) / 3600;
  return weekday && hour >= 9 && hour < 17;
}

/** Uniform noise in [-1, 1) from a seeded 32-bit generator (mulberry32), so every run sees the same trace. */
function seededNoise(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
