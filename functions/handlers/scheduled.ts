import { parseOrThrow } from '../../core';
import { evaluateTarget, firingAlarmsOf, type DecisionLog } from '../evaluate';
import { scheduledEventSchema } from '../events/schemas';
import { lambdaHandler } from '../handler';
import { forEachTarget, type TargetFailure } from '../per-target';
import { schedulesFor } from '../predictive';
import { runtime, type Runtime } from '../runtime';

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
  const parsed = parseOrThrow(scheduledEventSchema, event, 'scheduled event');
  const now = Date.parse(parsed.time) / 1000;
  const { done, failed } = await forEachTarget(
    rt.config.targets,
    async (target) => {
      const alarms = await firingAlarmsOf(target, rt.deps.metrics);
      const schedules = await schedulesFor(target, rt.deps, now);
      const { decision, applied } = await evaluateTarget(target, { ...rt.deps, log }, { now, alarms, schedules, dryRun: rt.config.dryRun });
      return { target: target.name, current: decision.current, desired: decision.desired, reason: decision.reason, applied };
    },
    log,
    'evaluation',
  );
  return { evaluated: done, failed };
}

export const handler = lambdaHandler(
  (event, log) => runScheduled(event, runtime(), log),
  (report) => ({ decisions: report.evaluated, failures: report.failed }),
);
