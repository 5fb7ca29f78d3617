import { connectionsOnlyProblems } from '../sim';
import { InvalidInputError, parseTargetConfig, type TargetConfig } from '../core';
import { localFleet } from '../kinds';

/** The target local mode scales by default: target tracking on connections, a forecast, and a surge step on its alarm. */
export function defaultLocalTarget(o: { readonly perNode: number; readonly maxNodes: number; readonly startupSeconds: number }): TargetConfig {
  return parseTargetConfig({
    name: 'chat-local',
    kind: localFleet.name,
    minCapacity: 1,
    maxCapacity: o.maxNodes,
    warmupSeconds: o.startupSeconds,
    policies: [
      // The forecast the hourly refresh fits on the days before the window (the metric's history).
      { type: 'predictive', name: 'forecast', connectionsPerUnit: o.perNode, startupSeconds: o.startupSeconds, scaleIn: { stabilizationSeconds: 300 } },
      { type: 'target-tracking', name: 'connections', targetPerUnit: o.perNode, scaleIn: { stabilizationSeconds: 300 } },
      {
        type: 'ecs-step',
        name: 'surge',
        AdjustmentType: 'PercentChangeInCapacity',
        MinAdjustmentMagnitude: 1,
        Cooldown: 120,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 50 }],
        alarm: { comparison: 'GreaterThanOrEqualToThreshold', threshold: Math.round(o.perNode * 1.5), evaluationPeriods: 1 },
      },
    ],
  });
}

/**
 * A configured target on the local fleet: its own policies, objective, limits and warm-up, on local
 * processes instead of its platform's, with at most `maxNodes` of them (a laptop runs tens, not hundreds).
 * Everything it reads must be connections, the one metric the local nodes publish.
 */
export function onLocalFleet(target: TargetConfig, maxNodes: number): TargetConfig {
  const problems = connectionsOnlyProblems(target, 'local mode');
  if (problems.length > 0) throw new InvalidInputError(`Cannot run target ${target.name} locally: ${problems.join('; ')}`);
  const maxCapacity = Math.min(target.maxCapacity, maxNodes);
  return { ...target, kind: localFleet.name, resource: {}, maxCapacity, minCapacity: Math.min(target.minCapacity, maxCapacity) };
}

/**
 * The connections a node of the target is meant to hold: its forecast's connections per unit, else its
 * target tracking target, else the threshold of an alarm on the average per node that scales it out.
 */
export function connectionsPerNode(target: TargetConfig): number | undefined {
  for (const p of target.policies) if (p.type === 'predictive') return p.connectionsPerUnit;
  for (const p of target.policies) if (p.type === 'target-tracking') return p.targetPerUnit;
  for (const p of target.policies) {
    const alarm = 'alarm' in p ? p.alarm : undefined;
    if (alarm !== undefined && alarm.statistic === 'Average' && alarm.comparison.startsWith('Greater')) return alarm.threshold;
  }
  return undefined;
}

/** The share of the fleet's maximum the trace's peak should fill: room above it for the forecast's band. */
const PEAK_FILLS = 0.8;

/**
 * Connections each local client stands for: so that `peakClients` at the trace's peak need 80% of the
 * fleet at the target's connections per node. A production target holds thousands a node, more than one
 * machine can open; its thresholds stay as configured and each client counts for more. Never below 1.
 */
export function defaultConnectionsPerClient(target: TargetConfig, peakClients: number): number {
  const perNode = connectionsPerNode(target);
  if (perNode === undefined) return 1;
  const weight = (perNode * target.maxCapacity * PEAK_FILLS) / peakClients;
  return weight <= 1 ? 1 : Number(weight.toPrecision(2));
}
