import { gapSeconds, medianSpacing, type Trace } from '../sim';
import { isoMinute } from './io';

/** The largest values the trace commands accept: beyond them the figures would mean nothing. */
export const TRACE_LIMITS = {
  /** Connections a trace may be scaled to: a hundred million. */
  mean: 100_000_000,
  perUnit: 10_000_000,
  /** Days into a trace: ten years. */
  days: 3650,
} as const;

const DAY = 86_400;

/** What was read, so a misread file shows at once: samples, resolution, span, and the gaps in it. */
export function describeTrace(trace: Trace): string {
  const { times } = trace;
  const step = medianSpacing(trace);
  const span = times[times.length - 1]! - times[0]!;
  const gap = gapSeconds(trace);
  let gaps = 0;
  let missing = 0;
  for (let i = 1; i < times.length; i++) {
    const spacing = times[i]! - times[i - 1]!;
    if (spacing >= gap) {
      gaps++;
      missing += spacing - step;
    }
  }
  const gapNote = gaps > 0 ? `; ${gaps} gap(s) of ${duration(gap)} or more, ${duration(missing)} in all, are missing data` : '';
  const described = `${times.length.toLocaleString('en-US')} samples every ${duration(step)}, ${(span / DAY).toFixed(2)} days from ${isoMinute(times[0]!)} to ${isoMinute(times[times.length - 1]!)} UTC${gapNote}`;
  const outliers = outlierWarning(trace);
  return outliers === undefined ? described : `${described}\n${outliers}`;
}

/** How far above the median a sample is taken for a misread or corrupt value rather than load. */
export const OUTLIER_RATIO = 1000;

/**
 * A warning for samples more than OUTLIER_RATIO times the median: one such sample dominates a mean or a
 * peak, so scaling the trace to a mean flattens every other sample to almost nothing.
 */
export function outlierWarning(trace: Trace): string | undefined {
  const sorted = [...trace.values].filter(Number.isFinite).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  if (!(median > 0)) return undefined;
  const far = trace.values.map((v, i) => [v, i] as const).filter(([v]) => v > OUTLIER_RATIO * median);
  if (far.length === 0) return undefined;
  const [largest, at] = far.reduce((a, b) => (b[0] > a[0] ? b : a));
  return `warning: ${far.length} sample(s) above ${OUTLIER_RATIO.toLocaleString('en-US')} times the median, the largest ${(largest / median).toPrecision(2)} times it, at ${isoMinute(trace.times[at]!)} UTC: a misread value dominates every figure scaled from this trace; check the file`;
}

/** Notes on the scored window: time skipped in gaps, and a warning when too little is scored to judge by. */
export function scoredWindowNotes(scored: { days: number; unscoredHours: number }, trace: Trace): string[] {
  const notes: string[] = [];
  if (scored.unscoredHours > 0) {
    notes.push(`not scored: ${duration(scored.unscoredHours * 3600)} of the window lie in gaps of the trace (samples ${duration(gapSeconds(trace))} or more apart), where demand is unknown`);
  }
  if (scored.days < 1) {
    notes.push(`warning: only ${duration(scored.days * DAY)} are scored; a score over less than a day says little (lower --eval-from-days)`);
  }
  return notes;
}

/** Seconds for people: `45 s`, `14 min`, `3.5 h`, `2.1 days`. */
export function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 3 * 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * DAY) return `${+(seconds / 3600).toFixed(1)} h`;
  return `${+(seconds / DAY).toFixed(1)} days`;
}
