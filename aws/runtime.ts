import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { ConfigError, type ControllerConfig } from '../core';
import { configPath, homeOf, loadDeployableConfig, type ControllerDeps, type Runtime } from '../controller';
import { AWS_DEPLOYMENT, AWS_SOURCES } from './deployment';
import { connectMetricSource } from '../metric-sources';
import { DynamoStateStore } from './dynamo-state-store';
import { scalingTargetFor } from '../kinds';

/**
 * The validated configuration and the AWS adapters, built once per Lambda container. The configuration
 * is the file SCALER_CONFIG names (scaler.config.json beside the handler by default), the state table the
 * one the stack binds; anything missing or invalid fails the cold start with the reason, before any event.
 */
export function createRuntime(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Omit<Runtime, 'home'> {
  const table = env.SCALER_STATE_TABLE;
  if (table === undefined || table === '') {
    throw new ConfigError('runtime environment', [{ path: 'SCALER_STATE_TABLE', message: 'must name the DynamoDB state table' }]);
  }
  const config = loadDeployableConfig(configPath(env, root), AWS_DEPLOYMENT);
  // Throttling and 5xx answers are retried with backoff by the SDK itself.
  const sdk = { maxAttempts: 5, retryMode: 'adaptive' };
  return { config, clock: () => Date.now() / 1000, deps: awsDeps(config, { ecs: new ECSClient(sdk), applicationAutoScaling: new ApplicationAutoScalingClient(sdk), autoscaling: new AutoScalingClient(sdk), cloudwatch: new CloudWatchClient(sdk), dynamo: new DynamoDBClient(sdk) }, table) };
}

/** The AWS implementations of every seam, on the given SDK clients, for `config`'s metric source. */
export function awsDeps(
  config: Pick<ControllerConfig, 'metricSource'>,
  clients: { ecs: ECSClient; applicationAutoScaling: ApplicationAutoScalingClient; autoscaling: AutoScalingClient; cloudwatch: CloudWatchClient; dynamo: DynamoDBClient },
  table: string,
): ControllerDeps {
  const platform = { ecs: clients.ecs, applicationAutoScaling: clients.applicationAutoScaling, autoscaling: clients.autoscaling };
  return {
    targets: (target) => scalingTargetFor(target, platform),
    ...connectMetricSource(config.metricSource, AWS_SOURCES, {
      cloudwatch: () => clients.cloudwatch,
      redis: () => {
        throw new ConfigError('metric source', [{ path: 'metricSource.type', message: 'the Lambda controller reads only cloudwatch' }]);
      },
    }),
    state: new DynamoStateStore(DynamoDBDocumentClient.from(clients.dynamo), table),
  };
}

let cached: Omit<Runtime, 'home'> | undefined;
/** The container's runtime, created on first use, for an invocation whose function ARN says where it runs. */
export const runtime = (context: Pick<Context, 'invokedFunctionArn'>): Runtime => ({ ...(cached ??= createRuntime()), home: homeOf(context.invokedFunctionArn) });
