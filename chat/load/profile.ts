import { TraceCursor, type Trace } from '../../sim';

/** How many connections the load generator holds at each second of the run. */
export type LoadProfile = (elapsedSeconds: number) => number;

/** Up to `connections` over `rampSeconds`, then held. */
export function rampProfile(connections: number, rampSeconds: number): LoadProfile {
  return (t) => (rampSeconds <= 0 ? connections : Math.round(connections * Math.min(1, t / rampSeconds)));
}

/**
 * A real load trace replayed fast: `compress` trace seconds pass per real second (1440 plays a day
 * in a minute). The trace is scaled beforehand, so its values are connections.
 */
export function traceProfile(trace: Trace, compress: number, startOffsetSeconds = 0): LoadProfile {
  const cursor = new TraceCursor(trace);
  const start = trace.times[0]! + startOffsetSeconds;
  return (t) => Math.round(cursor.valueAt(start + t * compress));
}
