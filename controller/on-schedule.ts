import { evaluateTarget, firingAlarmsOf, type DecisionLog } from './evaluate';
import { acceptEvent } from './events/guard';
import { scheduledEventSchema } from './events/schemas';
import { forEachTarget, type TargetFailure } from './per-target';
import { schedulesFor } from './predictive';
import type { Runtime } from './runtime';
import { tunedTarget } from './tuning';

export interface EvaluationReport {
  readonly evaluated: ReadonlyArray<{ target: string; current: number; desired: number; reason: string; applied: boolean }>;
  readonly failed: readonly TargetFailure[];
}

/**
 * The scheduled evaluation: every target, every minute, with target tracking, the predictive schedule and
 * the step policies of alarms still in ALARM (EventBridge only reports changes, so a lasting ALARM is
 * acted on here). A failure on one target does not stop the others; the report says what failed.
 */
export async function runScheduled(event: unknown, rt: Runtime, log: DecisionLog): Promise<EvaluationReport> {
  const { now, eventAt } = acceptEvent(scheduledEventSchema, event, 'scheduled event', rt);
  const { done, failed } = await forEachTarget(
    rt.config.targets,
    async (configured) => {
      const target = await tunedTarget(configured, rt.deps.state);
      const alarms = await firingAlarmsOf(target, rt.deps.alarms);
      const schedules = await schedulesFor(target, rt.deps, now);
      const { decision, applied } = await evaluateTarget(target, { ...rt.deps, log }, { now, eventAt, alarms, schedules, dryRun: rt.config.dryRun });
      return { target: target.name, current: decision.current, desired: decision.desired, reason: decision.reason, applied };
    },
    log,
    'evaluation',
  );
  return { evaluated: done, failed };
}
