/** One row of an AWS step scaling policy, with AWS's own field names so policies port unchanged. */
export interface StepAdjustment {
  readonly MetricIntervalLowerBound?: number | undefined;
  readonly MetricIntervalUpperBound?: number | undefined;
  readonly ScalingAdjustment: number;
}

const lower = (step: StepAdjustment) => step.MetricIntervalLowerBound ?? -Infinity;
const upper = (step: StepAdjustment) => step.MetricIntervalUpperBound ?? Infinity;

/**
 * The step whose interval holds `delta` (metric minus alarm threshold), with AWS's bound semantics:
 * above the threshold the lower bound is inclusive and the upper exclusive, below it the reverse.
 * Exactly at the threshold, a step starting at 0 is preferred, then one ending at 0.
 */
export function findStep(steps: readonly StepAdjustment[], delta: number): StepAdjustment | undefined {
  if (delta > 0) return steps.find((s) => lower(s) <= delta && delta < upper(s));
  if (delta < 0) return steps.find((s) => lower(s) < delta && delta <= upper(s));
  return steps.find((s) => lower(s) <= 0 && 0 < upper(s)) ?? steps.find((s) => lower(s) < 0 && 0 <= upper(s));
}

/** The interval of a step as a human reads it, e.g. `[10, 20)` or `(-inf, -10]`. */
export function describeInterval(step: StepAdjustment): string {
  const lo = step.MetricIntervalLowerBound;
  const hi = step.MetricIntervalUpperBound;
  const belowThreshold = hi !== undefined && hi <= 0 && (lo === undefined || lo < 0);
  const loText = lo === undefined ? '-inf' : String(lo);
  const hiText = hi === undefined ? '+inf' : String(hi);
  return belowThreshold ? `(${loText}, ${hiText}]` : `[${loText}, ${hiText})`;
}

const MAX_STEPS = 20;

/**
 * Every rule AWS applies to a policy's step adjustments (PutScalingPolicy), as messages that name the
 * offending steps by index. Empty when the steps are valid.
 */
export function stepIntervalProblems(steps: readonly StepAdjustment[]): string[] {
  const problems: string[] = [];
  const name = (i: number) => `StepAdjustments[${i}] ${describeInterval(steps[i]!)}`;
  if (steps.length > MAX_STEPS) problems.push(`at most ${MAX_STEPS} step adjustments are allowed, got ${steps.length}`);

  steps.forEach((step, i) => {
    const lo = step.MetricIntervalLowerBound;
    const hi = step.MetricIntervalUpperBound;
    if (lo === undefined && hi === undefined) {
      problems.push(`StepAdjustments[${i}] has neither MetricIntervalLowerBound nor MetricIntervalUpperBound; one of them must be set`);
    } else if (lo !== undefined && hi !== undefined && !(lo < hi)) {
      problems.push(`${name(i)}: MetricIntervalLowerBound (${lo}) must be less than MetricIntervalUpperBound (${hi})`);
    }
  });

  const openBelow = indexesWhere(steps, (s) => s.MetricIntervalLowerBound === undefined);
  const openAbove = indexesWhere(steps, (s) => s.MetricIntervalUpperBound === undefined);
  if (openBelow.length > 1) {
    problems.push(`at most one step may have no MetricIntervalLowerBound, but ${openBelow.map(name).join(' and ')} have none`);
  }
  if (openAbove.length > 1) {
    problems.push(`at most one step may have no MetricIntervalUpperBound, but ${openAbove.map(name).join(' and ')} have none`);
  }
  const negativeLower = indexesWhere(steps, (s) => s.MetricIntervalLowerBound !== undefined && s.MetricIntervalLowerBound < 0);
  if (negativeLower.length > 0 && openBelow.length === 0) {
    problems.push(`${name(negativeLower[0]!)} has a negative lower bound, so one step must have no MetricIntervalLowerBound (reach -inf)`);
  }
  const positiveUpper = indexesWhere(steps, (s) => s.MetricIntervalUpperBound !== undefined && s.MetricIntervalUpperBound > 0);
  if (positiveUpper.length > 0 && openAbove.length === 0) {
    problems.push(`${name(positiveUpper[0]!)} has a positive upper bound, so one step must have no MetricIntervalUpperBound (reach +inf)`);
  }

  const order = steps.map((_, i) => i).sort((a, b) => lower(steps[a]!) - lower(steps[b]!) || upper(steps[a]!) - upper(steps[b]!));
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1]!;
    const next = order[k]!;
    const prevUpper = upper(steps[prev]!);
    const nextLower = lower(steps[next]!);
    if (nextLower < prevUpper) problems.push(`${name(prev)} overlaps ${name(next)}`);
    else if (nextLower > prevUpper) problems.push(`gap between ${name(prev)} and ${name(next)}: no step covers ${prevUpper} to ${nextLower}`);
  }
  return problems;
}

function indexesWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number[] {
  return items.flatMap((item, i) => (predicate(item) ? [i] : []));
}
