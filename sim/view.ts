import type { EpochSeconds } from '../core';

/** The metric history a policy can see: one sample per metric step, each published one step late. */
export interface MetricHistory {
  readonly times: readonly EpochSeconds[];
  /** Open connections across the fleet (the metric's Sum). */
  readonly connections: readonly number[];
  /** Units that were serving when the sample was taken, to derive the per-unit Average. */
  readonly ready: readonly number[];
  /** How many samples are visible now; later entries are not published yet. */
  readonly visible: number;
}

/** Everything a simulated policy may use at `now`: the past, never the future. */
export interface PolicyView {
  readonly now: EpochSeconds;
  readonly history: MetricHistory;
  /** The latest published value of the connections metric (demand one step ago). */
  readonly observed: number;
  /** What the policy last asked for. */
  readonly desired: number;
  readonly running: number;
  readonly ready: number;
}

/** A scaling policy under simulation. It keeps its own state between calls, within one run. */
export interface Controller {
  /** How often it evaluates, in seconds. */
  readonly periodSeconds: number;
  /** It reads demand itself (the oracle), so it is asked while the metric is missing too. */
  readonly readsDemand?: boolean;
  decide(view: PolicyView): number;
}

/** The per-unit Average of the last `count` visible samples, oldest first (NaN where no unit served). */
export function perUnitAverages(history: MetricHistory, count: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, history.visible - count); i < history.visible; i++) {
    const ready = history.ready[i]!;
    out.push(ready > 0 ? history.connections[i]! / ready : NaN);
  }
  return out;
}
