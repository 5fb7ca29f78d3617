import type { EpochSeconds } from '../core';
import type { KedaClient, ScaledObjectRef } from '../keda';

// The Horizontal Pod Autoscaler as Kubernetes documents it (autoscaling/v2, "Algorithm details" and
// "Configurable scaling behavior"), for one External metric of type AverageValue, as KEDA sets it up.
// Local mode puts it between the scaler's KEDA face and the local fleet.

export interface HpaPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface HpaDirection {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly HpaPolicy[];
}

export interface HpaSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Within this fraction of the target, no change (the controller manager's default: 0.1). */
  readonly tolerance: number;
  readonly behavior: { readonly scaleUp: HpaDirection; readonly scaleDown: HpaDirection };
}

/** What the shipped ScaledObject (deploy/kubernetes/scaledobject.yaml) asks of its HPA: no delay of its own. */
export const SHIPPED_BEHAVIOR: HpaSpec['behavior'] = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 1000, periodSeconds: 15 }, { type: 'Pods', value: 100, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};

/** The HPA's memory: its recommendations and the changes it made, with when. */
export interface HpaHistory {
  readonly recommendations: ReadonlyArray<{ readonly at: EpochSeconds; readonly replicas: number }>;
  readonly changes: ReadonlyArray<{ readonly at: EpochSeconds; readonly delta: number }>;
}

export const EMPTY_HISTORY: HpaHistory = { recommendations: [], changes: [] };

/**
 * One sync: desired = ceil(metric / target) unless the usage ratio is within the tolerance, then the
 * stabilization window (the highest recommendation of the window on the way down, the lowest on the way
 * up), the rate limits of the direction's policies (from the replicas at the start of each period), and
 * the bounds.
 */
export function hpaSync(spec: HpaSpec, current: number, metric: number, target: number, now: EpochSeconds, history: HpaHistory): { desired: number; history: HpaHistory } {
  const ratio = metric / (target * Math.max(1, current));
  const raw = current > 0 && Math.abs(ratio - 1) <= spec.tolerance ? current : Math.ceil(metric / target);
  const recommendation = Math.min(spec.maxReplicas, Math.max(spec.minReplicas, raw));
  const longest = Math.max(spec.behavior.scaleUp.stabilizationWindowSeconds, spec.behavior.scaleDown.stabilizationWindowSeconds, ...[spec.behavior.scaleUp, spec.behavior.scaleDown].flatMap((d) => d.policies.map((p) => p.periodSeconds)));
  const recommendations = [...history.recommendations.filter((r) => r.at > now - longest), { at: now, replicas: recommendation }];
  let desired = stabilized(spec, current, recommendation, recommendations, now);
  if (desired > current) desired = Math.min(desired, upLimit(spec.behavior.scaleUp, current, history, now));
  if (desired < current) desired = Math.max(desired, downLimit(spec.behavior.scaleDown, current, history, now));
  desired = Math.min(spec.maxReplicas, Math.max(spec.minReplicas, desired));
  const changes = [...history.changes.filter((c) => c.at > now - longest), ...(desired === current ? [] : [{ at: now, delta: desired - current }])];
  return { desired, history: { recommendations, changes } };
}

function stabilized(spec: HpaSpec, current: number, recommendation: number, recommendations: HpaHistory['recommendations'], now: EpochSeconds): number {
  const within = (seconds: number) => recommendations.filter((r) => r.at > now - seconds || r.at === now).map((r) => r.replicas);
  if (recommendation > current) return Math.max(current, Math.min(...within(spec.behavior.scaleUp.stabilizationWindowSeconds)));
  if (recommendation < current) return Math.min(current, Math.max(...within(spec.behavior.scaleDown.stabilizationWindowSeconds)));
  return current;
}

const changedWithin = (history: HpaHistory, now: EpochSeconds, seconds: number, sign: 1 | -1) =>
  history.changes.filter((c) => c.at > now - seconds && Math.sign(c.delta) === sign).reduce((sum, c) => sum + Math.abs(c.delta), 0);

function upLimit(direction: HpaDirection, current: number, history: HpaHistory, now: EpochSeconds): number {
  if (direction.selectPolicy === 'Disabled') return current;
  const limits = direction.policies.map((p) => {
    const start = current - changedWithin(history, now, p.periodSeconds, 1);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return direction.selectPolicy === 'Max' ? Math.max(...limits) : Math.min(...limits);
}

function downLimit(direction: HpaDirection, current: number, history: HpaHistory, now: EpochSeconds): number {
  if (direction.selectPolicy === 'Disabled') return current;
  const limits = direction.policies.map((p) => {
    const start = current + changedWithin(history, now, p.periodSeconds, -1);
    return p.type === 'Pods' ? start - p.value : Math.floor(start * (1 - p.value / 100));
  });
  return direction.selectPolicy === 'Max' ? Math.min(...limits) : Math.max(...limits);
}

/** What the HPA scales: the local fleet, as a Deployment. */
export interface Scalable {
  desiredCapacity(): number;
  setDesired(replicas: number): Promise<void>;
}

/**
 * The HPA's control loop, every `syncSeconds` of the clock, asking the scaler's KEDA face over gRPC as
 * KEDA's metrics adapter would: the metric spec once, the metric at every sync. A failed call changes
 * nothing, as the HPA holds when its metric is unavailable.
 */
export class LocalHpa {
  private history: HpaHistory = EMPTY_HISTORY;
  private target: number | undefined;
  private metricName = '';

  constructor(
    private readonly client: KedaClient,
    private readonly ref: ScaledObjectRef,
    private readonly spec: HpaSpec,
    private readonly scalable: Scalable,
    private readonly onSync?: (sync: { at: EpochSeconds; metric: number; current: number; desired: number; reason: string | undefined }) => void,
    private readonly onError?: (error: string) => void,
  ) {}

  async sync(now: EpochSeconds): Promise<void> {
    try {
      if (this.target === undefined) {
        const [spec] = await this.client.getMetricSpec(this.ref);
        this.metricName = spec!.metricName;
        this.target = spec!.targetSizeFloat || spec!.targetSize;
      }
      const { values, reason } = await this.client.getMetrics(this.ref, this.metricName);
      const metric = values[0]!.metricValueFloat || values[0]!.metricValue;
      const current = this.scalable.desiredCapacity();
      const { desired, history } = hpaSync(this.spec, current, metric, this.target, now, this.history);
      this.history = history;
      this.onSync?.({ at: now, metric, current, desired, reason });
      if (desired !== current) await this.scalable.setDesired(desired);
    } catch (error) {
      this.onError?.(error instanceof Error ? error.message : String(error));
    }
  }
}
