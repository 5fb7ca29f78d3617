import { unitsFor } from '../core';
import { TraceCursor, type Trace, runOptions, simulate, type RunSettings, type Controller, type ElasticityMetrics, type StepRows } from '../sim';

/** The span around each moment whose demand the yardstick knows. */
const WINDOW_SECONDS = 3600;
/** The most standard deviations searched, and the resolution the search finds the cheapest to. */
const MAX_DEVIATIONS = 8;
const RESOLUTION = 0.05;

/**
 * A clairvoyant yardstick, not a policy: at each step, capacity is the mean of the demand in the hour
 * around the moment its units would be ready plus `deviations` of its standard deviation. It knows the
 * coming hour's level and spread exactly, though not which minute peaks: what a perfect forecast of the
 * level and the spread would buy on noise that no forecast predicts minute by minute.
 */
export function yardstick(trace: Trace, o: Pick<RunSettings, 'perUnit' | 'startupSeconds' | 'stepSeconds' | 'minCapacity' | 'maxCapacity'>, deviations: number): Controller {
  const window = hourWindows(trace, o.stepSeconds);
  const lead = Math.ceil(o.startupSeconds / o.stepSeconds);
  return {
    periodSeconds: o.stepSeconds,
    readsDemand: true,
    decide({ now }) {
      const { mean, sd } = window(Math.round((now - trace.times[0]!) / o.stepSeconds) + lead);
      return Math.min(o.maxCapacity, Math.max(o.minCapacity, unitsFor(mean + deviations * sd, o.perUnit)));
    },
  };
}

/** The mean and standard deviation of the demand in the hour around step k, from prefix sums: O(1) a step. */
function hourWindows(trace: Trace, stepSeconds: number): (k: number) => { mean: number; sd: number } {
  const start = trace.times[0]!;
  const cursor = new TraceCursor(trace);
  const steps = Math.floor((trace.times.at(-1)! - start) / stepSeconds) + 1;
  const count = new Float64Array(steps + 1);
  const sum = new Float64Array(steps + 1);
  const squares = new Float64Array(steps + 1);
  for (let k = 0; k < steps; k++) {
    const v = cursor.valueAt(start + k * stepSeconds);
    const known = Number.isFinite(v);
    count[k + 1] = count[k]! + (known ? 1 : 0);
    sum[k + 1] = sum[k]! + (known ? v : 0);
    squares[k + 1] = squares[k]! + (known ? v * v : 0);
  }
  const half = Math.round(WINDOW_SECONDS / 2 / stepSeconds);
  return (k) => {
    const from = Math.max(0, Math.min(steps, k - half));
    const to = Math.max(0, Math.min(steps, k + half + 1));
    const n = count[to]! - count[from]!;
    if (n === 0) return { mean: 0, sd: 0 };
    const mean = (sum[to]! - sum[from]!) / n;
    return { mean, sd: Math.sqrt(Math.max(0, (squares[to]! - squares[from]!) / n - mean * mean)) };
  };
}

/** The yardstick at one setting, as a backtest scores it. */
export interface YardstickRun {
  readonly deviations: number;
  readonly metrics: ElasticityMetrics;
  readonly rows: StepRows;
}

/**
 * The cheapest yardstick whose τU is no worse than `underTimeShare`: more deviations never serve less,
 * so the fewest that reach it, found by bisection to RESOLUTION. Undefined when none up to
 * MAX_DEVIATIONS does.
 */
export function yardstickAt(trace: Trace, o: RunSettings, underTimeShare: number): YardstickRun | undefined {
  const run = (grid: number): YardstickRun => {
    const deviations = Math.round(grid * RESOLUTION * 100) / 100;
    const { metrics, rows } = simulate(trace, yardstick(trace, o, deviations), runOptions(trace, o));
    return { deviations, metrics, rows };
  };
  const reaches = (r: YardstickRun) => r.metrics.underTimeShare <= underTimeShare + 1e-9;
  let hi = Math.round(MAX_DEVIATIONS / RESOLUTION);
  let best = run(hi);
  if (!reaches(best)) return undefined;
  let lo = -1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const r = run(mid);
    if (reaches(r)) {
      hi = mid;
      best = r;
    } else {
      lo = mid;
    }
  }
  return best;
}

/** The yardstick as a backtest reports it: at ours' τU, its cost related to the oracle's as the policies' are. */
export interface Yardstick extends YardstickRun {
  readonly costRatio: number;
  /** Ours' excess over the oracle's cost as a multiple of the yardstick's: 1 is all the gap noise leaves. */
  readonly oursExcessShare: number;
}

/**
 * The yardstick beside a backtest's results: the cheapest that serves as well as ours did. Undefined
 * without ours in the results (nothing to match), or when no setting reaches ours' τU.
 */
export function yardstickBeside(trace: Trace, results: readonly { readonly policy: string; readonly metrics: ElasticityMetrics; readonly costRatio?: number }[], o: RunSettings): Yardstick | undefined {
  const ours = results.find((r) => r.policy === 'ours');
  if (ours?.costRatio === undefined) return undefined;
  const run = yardstickAt(trace, o, ours.metrics.underTimeShare);
  if (run === undefined) return undefined;
  const oracleHours = ours.metrics.unitHours / ours.costRatio;
  const costRatio = run.metrics.unitHours / oracleHours;
  return { ...run, costRatio, oursExcessShare: (ours.costRatio - 1) / Math.max(costRatio - 1, 1e-9) };
}

/** The yardstick in one sentence, for the table's reader. */
export function describeYardstick(y: Yardstick): string {
  return (
    `yardstick: a clairvoyant policy that knows each hour's mean and spread of demand, provisioning the mean plus ${y.deviations} standard deviations, ` +
    `serves as well as ours (τU ${y.metrics.underTimeShare.toFixed(2)}%) at ${y.costRatio.toFixed(3)}x the oracle; ` +
    `ours' excess over the oracle is ${y.oursExcessShare.toFixed(2)}x the yardstick's (1 would mean all of ours' gap is noise no forecast removes)`
  );
}
