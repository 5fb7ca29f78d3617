/** The longest update interval detected, in steps: beyond it, a run of equal values is a flat metric. */
const MAX_SAMPLE_STEPS = 60;
/** Fewer intervals than this say nothing about how often the metric updates. */
const MIN_INTERVALS = 20;

/**
 * How many steps apart a metric's updates are: 1 when it updates every step, `k` when it is read every
 * step but updates only every `k`. Between updates the reads either repeat the last value (a gauge
 * published every 5 minutes and read every minute, CloudWatch's FILL(m, REPEAT), the backtester's
 * `--metric held`) or find no datapoint (CloudWatch's own 5-minute metrics on a 1-minute grid).
 *
 * An update is a datapoint that differs from the one before it or follows a missing one. The interval
 * is the most common distance between consecutive updates, if at least half of them have it: a noisy
 * count with chance repeats has intervals of every length, mostly 1.
 */
export function sampleStepsOf(values: ArrayLike<number>): number {
  // Intervals longer than MAX_SAMPLE_STEPS share the last count: such a mode answers 1 whatever its length.
  const counts = new Int32Array(MAX_SAMPLE_STEPS + 2);
  let intervals = 0;
  let previousUpdate = -1;
  for (let i = 0; i < values.length; i++) {
    if (!isUpdate(values, i)) continue;
    if (previousUpdate >= 0) {
      counts[Math.min(i - previousUpdate, MAX_SAMPLE_STEPS + 1)]!++;
      intervals++;
    }
    previousUpdate = i;
  }
  if (intervals < MIN_INTERVALS) return 1;
  let mode = 1;
  for (let d = 2; d < counts.length; d++) if (counts[d]! > counts[mode]!) mode = d;
  return mode > 1 && mode <= MAX_SAMPLE_STEPS && counts[mode]! * 2 >= intervals ? mode : 1;
}

function isUpdate(values: ArrayLike<number>, i: number): boolean {
  const v = values[i]!;
  if (!Number.isFinite(v)) return false;
  const before = values[i - 1];
  return before === undefined || !Number.isFinite(before) || before !== v;
}

/**
 * The series as a metric held between updates `k` steps apart: a gap shorter than `k` steps after a
 * datapoint repeats it, so the profiles and the bands see what the load showed at every step. Longer
 * gaps (an outage) stay missing.
 */
export function holdBetweenUpdates<T extends ArrayLike<number> & { slice(): T }>(values: T, k: number): T {
  if (k <= 1) return values;
  const out = values.slice() as T & { [i: number]: number };
  let held = NaN;
  let age = 0;
  for (let i = 0; i < out.length; i++) {
    if (Number.isFinite(out[i]!)) {
      held = out[i]!;
      age = 0;
    } else if (++age < k && Number.isFinite(held)) {
      out[i] = held;
    }
  }
  return out;
}
