import { AutoScalingClient, CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { acceptEvent, awsName, envelope, EventError, homeOf, type DecisionLog, type Home } from '../../controller';
import { quote, ScalerError, type EpochSeconds, type TargetConfig } from '../../core';
import { autoScalingGroupsOf } from './adapter';
import type { Context } from 'aws-lambda';

/** EventBridge's "EC2 Instance-terminate Lifecycle Action" from EC2 Auto Scaling. */
export const terminateActionSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('EC2 Instance-terminate Lifecycle Action'),
  source: z.literal('aws.autoscaling'),
  detail: z.looseObject({
    LifecycleActionToken: z.string().min(1).max(64),
    AutoScalingGroupName: awsName,
    LifecycleHookName: awsName,
    EC2InstanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'must be an EC2 instance id'),
    LifecycleTransition: z.literal('autoscaling:EC2_INSTANCE_TERMINATING'),
  }),
});

export interface DrainOptions {
  /**
   * The SSM document run on the instance: the stack's own, whose one fixed command stops the chat node, whose
   * SIGTERM handler drains its clients to other nodes. It takes no parameters.
   */
  readonly document: string;
  /** Give up waiting after this long (the node's own drain deadline, plus a margin). */
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
  readonly sleep: (seconds: number) => Promise<void>;
}

/** The environment variable that names the drain document; the stack allows SendCommand with it only. */
export const DRAIN_DOCUMENT_ENV = 'SCALER_DRAIN_DOCUMENT';

export const DEFAULT_DRAIN: Omit<DrainOptions, 'document'> = {
  timeoutSeconds: 45,
  pollSeconds: 2,
  sleep: (s) => new Promise((resolve) => setTimeout(resolve, s * 1000)),
};

/**
 * Scale-in without dropping users on EC2: the terminating instance is told to drain (its clients move
 * to other nodes), and only then may termination continue. The lifecycle action is always completed,
 * so a failed or slow drain delays termination by at most the timeout and never blocks it.
 */
export async function runTerminateAction(
  event: unknown,
  clients: { autoscaling: Pick<AutoScalingClient, 'send'>; ssm: Pick<SSMClient, 'send'>; home: Home; clock: () => EpochSeconds; groups: readonly string[] },
  log: DecisionLog,
  drain: DrainOptions,
): Promise<{ instance: string; drained: boolean }> {
  const { detail } = acceptEvent(terminateActionSchema, event, 'lifecycle action event', clients);
  if (!clients.groups.includes(detail.AutoScalingGroupName)) {
    throw new EventError(
      `lifecycle action for Auto Scaling group ${quote(JSON.stringify(detail.AutoScalingGroupName))}, which no target names (${quote(clients.groups.join(', ')) || 'none'}); not drained, hook left alone`,
    );
  }
  const instance = detail.EC2InstanceId;
  let drained = false;
  try {
    const sent = await clients.ssm.send(
      new SendCommandCommand({ InstanceIds: [instance], DocumentName: drain.document, TimeoutSeconds: Math.max(30, drain.timeoutSeconds) }),
    );
    const commandId = sent.Command?.CommandId;
    for (let waited = 0; commandId !== undefined && waited < drain.timeoutSeconds; waited += drain.pollSeconds) {
      await drain.sleep(drain.pollSeconds);
      const status = await clients.ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instance })).catch(() => undefined);
      if (status?.Status === 'Success') {
        drained = true;
        break;
      }
      if (status?.Status !== undefined && ['Failed', 'Cancelled', 'TimedOut'].includes(status.Status)) break;
    }
  } catch (error) {
    log.error('could not drain the instance; letting termination continue', { instance, error: String(error) });
  }
  await clients.autoscaling.send(
    new CompleteLifecycleActionCommand({
      AutoScalingGroupName: detail.AutoScalingGroupName,
      LifecycleHookName: detail.LifecycleHookName,
      LifecycleActionToken: detail.LifecycleActionToken,
      InstanceId: instance,
      LifecycleActionResult: 'CONTINUE',
    }),
  );
  log.info(drained ? 'instance drained; termination continues' : 'drain not confirmed in time; termination continues', { instance });
  return { instance, drained };
}

/** The drain document the stack deployed, from the function's environment. */
export function drainDocumentOf(env: NodeJS.ProcessEnv): string {
  const document = env[DRAIN_DOCUMENT_ENV];
  if (document === undefined || document === '') throw new ScalerError(`${DRAIN_DOCUMENT_ENV} is not set: the stack names the drain document there`);
  return document;
}

/** The lifecycle hook's Lambda: its clients, the targets the configuration names, the stack's drain document. */
export function terminateActionRunner(env: NodeJS.ProcessEnv, configuredTargets: () => readonly TargetConfig[]) {
  const clients = { autoscaling: new AutoScalingClient({ maxAttempts: 5 }), ssm: new SSMClient({ maxAttempts: 5 }) };
  let groups: string[] | undefined;
  return (event: unknown, log: DecisionLog, context: Pick<Context, 'invokedFunctionArn'>) => {
    groups ??= autoScalingGroupsOf(configuredTargets());
    const drain = { ...DEFAULT_DRAIN, document: drainDocumentOf(env) };
    return runTerminateAction(event, { ...clients, groups, home: homeOf(context.invokedFunctionArn), clock: () => Date.now() / 1000 }, log, drain);
  };
}
