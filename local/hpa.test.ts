import { readFileSync } from 'node:fs';
import { loadAllYaml } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { EMPTY_HISTORY, hpaSync, SHIPPED_BEHAVIOR, type HpaSpec } from './hpa';

const spec = (behavior: Partial<HpaSpec['behavior']> = {}): HpaSpec => ({ minReplicas: 1, maxReplicas: 20, tolerance: 0.1, behavior: { ...SHIPPED_BEHAVIOR, ...behavior } });
// Kubernetes' defaults: scale up 100% or 4 pods per 15 s, at once; scale down 100% per 15 s after a 300 s window.
const DEFAULTS: HpaSpec['behavior'] = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};

describe("the local HPA, as Kubernetes documents its algorithm, on the scaler's metric with a target of 1", () => {
  it.each([
    { name: 'applies the metric exactly: desired = ceil(metric / target)', current: 3, metric: 7, desired: 7 },
    { name: 'scales in as exactly', current: 7, metric: 2, desired: 2 },
    { name: 'holds within the 10% tolerance (10 replicas, 9 wanted)', current: 10, metric: 9, desired: 10 },
    { name: 'acts beyond it (10 replicas, 8 wanted)', current: 10, metric: 8, desired: 8 },
    { name: 'keeps to its bounds', current: 3, metric: 40, desired: 20 },
    { name: 'never goes below its minimum', current: 3, metric: 0, desired: 1 },
  ])('$name', ({ current, metric, desired }) => {
    expect(hpaSync(spec(), current, metric, 1, 1000, EMPTY_HISTORY).desired).toBe(desired);
  });

  it('with its defaults, holds a scale-in for the 300 s window and limits a scale-out to 100% or 4 pods a period', () => {
    let { desired, history } = hpaSync(spec(DEFAULTS), 5, 5, 1, 0, EMPTY_HISTORY);
    ({ desired, history } = hpaSync(spec(DEFAULTS), desired, 2, 1, 15, history));
    expect(desired).toBe(5);
    ({ desired, history } = hpaSync(spec(DEFAULTS), desired, 2, 1, 316, history));
    expect(desired).toBe(2);
    ({ desired, history } = hpaSync(spec(DEFAULTS), 2, 20, 1, 400, history));
    expect(desired).toBe(6);
    ({ desired } = hpaSync(spec(DEFAULTS), 6, 20, 1, 405, history));
    expect(desired).toBe(6);
  });

  it('with the shipped behaviour, adds no delay: any change within the bounds at the next sync', () => {
    const up = hpaSync(spec(), 2, 18, 1, 0, EMPTY_HISTORY);
    expect(up.desired).toBe(18);
    expect(hpaSync(spec(), up.desired, 1, 1, 15, up.history).desired).toBe(1);
  });

  it('stands in for the HPA of the shipped ScaledObject: the same behaviour', () => {
    const [scaled] = loadAllYaml(readFileSync('deploy/kubernetes/scaledobject.yaml', 'utf8')) as Array<{ spec: { advanced: { horizontalPodAutoscalerConfig: { behavior: unknown } } } }>;
    expect(scaled!.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual(SHIPPED_BEHAVIOR);
  });
});
