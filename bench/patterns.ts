import { BACKTEST_DEFAULTS } from '../core/backtest/defaults';
import { scaleToMean, type Trace } from '../core/trace';

const DAY = 86_400;
const STEP = 300;
/** 2024-03-04 00:04 UTC, a Monday; samples fall at :04, :09, ... as in NAB's CloudWatch traces. */
const START = 1_709_510_400 + 240;

/**
 * Load patterns the shared traces lack, generated with seeded noise, to see how the recommended policy
 * generalizes: an hourly job (shaped like NAB's ec2_network_in_257a54, which peaks at :59 and :09 every
 * hour) and a working day (flat nights and weekends, a step at 09:00 and 17:00). 14 days at 5 minutes.
 */
export function patternTraces(): { name: string; trace: Trace }[] {
  return [
    { name: 'hourly job (generated)', trace: generate((t, noise) => (minuteOfHour(t) === 59 || minuteOfHour(t) === 9 ? 3_235_000 : 245_000) * (1 + 0.05 * noise())) },
    { name: 'working day (generated)', trace: generate((t, noise) => (isWorkingHour(t) ? 30_000 : 500) * (1 + 0.1 * noise())) },
  ];
}

function generate(value: (t: number, noise: () => number) => number): Trace {
  const noise = seededNoise(7);
  const times: number[] = [];
  const values: number[] = [];
  for (let t = START; t < START + 14 * DAY; t += STEP) {
    times.push(t);
    values.push(value(t, noise));
  }
  return scaleToMean({ times, values }, BACKTEST_DEFAULTS.mean);
}

const minuteOfHour = (t: number) => Math.floor((t % 3600) / 60);

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
