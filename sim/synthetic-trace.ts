import type { Trace } from './trace';

const DAY = 86_400;

/** Five days at 5-minute samples: a daily cycle around 20,000 connections, and a surge on day 4 (for tests). */
export function syntheticTrace(): Trace {
  const times: number[] = [];
  const values: number[] = [];
  for (let t = 0; t <= 5 * DAY; t += 300) {
    const surge = t >= 3.5 * DAY && t < 3.5 * DAY + 3600 ? 15_000 : 0;
    times.push(t);
    values.push(20_000 + 12_000 * Math.sin((2 * Math.PI * t) / DAY) + surge);
  }
  return { times, values };
}
