import { type EpochSeconds, InvalidInputError, unitsFor } from '../core';
import { gapSeconds, type Trace, TraceCursor } from './trace';
import { StepRows } from './step-rows';
import { Cluster } from './cluster';
import { MetricsAccumulator, type ElasticityMetrics } from './metrics';
import type { Controller, MetricHistory } from './view';

export interface SimulationOptions {
  readonly stepSeconds: number;
  readonly startupSeconds: number;
  readonly perUnit: number;
  readonly evalFrom: EpochSeconds;
  readonly initialCapacity: number;
  /** What the connections metric a policy sees does between the trace's samples (demand is always interpolated). */
  readonly metric?: MetricBetweenSamples;
  /**
   * Samples further apart than this bound a gap: unknown demand, neither interpolated nor scored, and a
   * missing metric (the trace's own by default, see gapSeconds).
   */
  readonly gapSeconds?: number;
  /** Called now and then with the share of the trace simulated so far (0..1). */
  readonly onProgress?: (done: number) => void;
}

/** What a run is scored on: a fleet's limits, units, start-up, step, warm-up days and metric view. */
export interface RunSettings {
  readonly perUnit: number;
  readonly startupSeconds: number;
  readonly stepSeconds: number;
  readonly evalFromDays: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** The initial capacity serves the first sample at this share of a unit. */
  readonly targetUtilization: number;
  readonly metric?: MetricBetweenSamples;
}

/**
 * The simulation of one run over `trace`: scored after `evalFromDays`, starting with the capacity the
 * first sample needs (within the limits), and the trace's own gaps. Every run a backtest compares uses it.
 */
export function runOptions(trace: Trace, o: RunSettings): SimulationOptions {
  return {
    stepSeconds: o.stepSeconds,
    startupSeconds: o.startupSeconds,
    perUnit: o.perUnit,
    evalFrom: trace.times[0]! + o.evalFromDays * 86_400,
    initialCapacity: Math.min(o.maxCapacity, Math.max(o.minCapacity, Math.ceil(trace.values[0]! / (o.perUnit * o.targetUtilization)))),
    gapSeconds: gapSeconds(trace),
    ...(o.metric === undefined ? {} : { metric: o.metric }),
  };
}

/**
 * `interpolated`: the metric follows demand (a metric finer than the trace). `held`: it keeps the latest
 * sample, as a metric published at the trace's own resolution (EC2 basic monitoring's 5 minutes).
 */
export const METRIC_BETWEEN_SAMPLES = ['interpolated', 'held'] as const;
export type MetricBetweenSamples = (typeof METRIC_BETWEEN_SAMPLES)[number];

export interface SimulationResult {
  readonly metrics: ElasticityMetrics;
  /** One row per step of the evaluation window. */
  readonly rows: StepRows;
}

/**
 * Runs one policy over a demand trace. Demand is interpolated linearly; the policy evaluates every
 * `periodSeconds` and sees the connections metric (see `metric`) one step late; units serve
 * `startupSeconds` after launch. Inside a gap of the trace the metric is missing, as it is when a
 * metric stops: the policy is not asked while its latest datapoint is missing, capacity holds, and
 * nothing is scored until data returns.
 */
export function simulate(trace: Trace, controller: Controller, options: SimulationOptions): SimulationResult {
  const { stepSeconds, startupSeconds, perUnit, evalFrom } = options;
  const tick = gcd(stepSeconds, controller.periodSeconds);
  if (stepSeconds % tick !== 0 || controller.periodSeconds % tick !== 0 || tick < 1) {
    throw new InvalidInputError(`periods must be whole seconds, got step ${stepSeconds} and period ${controller.periodSeconds}`);
  }
  const start = trace.times[0]!;
  const end = trace.times[trace.times.length - 1]!;
  const cursor = new TraceCursor(trace, options.gapSeconds ?? gapSeconds(trace));
  const held = options.metric === 'held';
  const cluster = new Cluster(startupSeconds);
  cluster.scaleTo(options.initialCapacity, start, start - startupSeconds);

  const history = new RecordedHistory();
  const { times, connections } = history;
  const metrics = new MetricsAccumulator();
  const rows = new StepRows((end - Math.max(start, evalFrom)) / stepSeconds + 1);
  let desired = options.initialCapacity;

  const ticks = Math.floor((end - start) / tick) + 1;
  const every = Math.max(1, Math.floor(ticks / 100));
  for (let now = start, i = 0; now <= end; i++, now = start + i * tick) {
    if (options.onProgress !== undefined && i % every === 0) options.onProgress(i / ticks);
    const demand = cursor.valueAt(now);
    const atStep = (now - start) % stepSeconds === 0;
    if (atStep) {
      history.record(now, held ? cursor.heldAt(now) : demand, cluster.ready(now));
    }
    // A sample is published one step after it is taken.
    while (history.visible < times.length && times[history.visible]! <= now - stepSeconds) history.visible++;

    const observed = connections[history.visible - 1] ?? NaN;
    if ((now - start) % controller.periodSeconds === 0 && (Number.isFinite(observed) || controller.readsDemand === true)) {
      const next = controller.decide({
        now,
        history,
        observed,
        desired,
        running: cluster.running,
        ready: cluster.ready(now),
      });
      if (!Number.isInteger(next) || next < 0) throw new InvalidInputError(`a policy asked for ${next} units at ${now}`);
      if (next !== desired && now >= evalFrom) metrics.countAction();
      desired = next;
      cluster.scaleTo(desired, now);
    }

    if (now >= evalFrom) {
      const ready = cluster.ready(now);
      if (Number.isNaN(demand)) metrics.skip(tick);
      else metrics.add(tick, unitsFor(demand, perUnit), demand, ready, cluster.running, perUnit);
      if (atStep) rows.push({ time: now, demand, desired, running: cluster.running, ready });
    }
  }
  return { metrics: metrics.result(), rows };
}

class RecordedHistory implements MetricHistory {
  readonly times: number[] = [];
  readonly connections: number[] = [];
  readonly ready: number[] = [];
  visible = 0;

  record(time: EpochSeconds, connections: number, ready: number): void {
    this.times.push(time);
    this.connections.push(connections);
    this.ready.push(ready);
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
