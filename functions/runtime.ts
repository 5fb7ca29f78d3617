import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfigError, parseControllerConfig, type ControllerConfig } from '../core';
import type { AwsClients } from './targets/registry';
import { CloudWatchMetrics } from './metrics/cloudwatch';
import { CloudWatchUnitLoads, type UnitLoads } from './metrics/unit-loads';
import { DynamoStateStore } from './state/dynamo-state-store';

export interface Runtime {
  readonly config: ControllerConfig;
  readonly deps: { readonly clients: AwsClients; readonly metrics: CloudWatchMetrics; readonly state: DynamoStateStore; readonly unitLoads: UnitLoads };
}

/**
 * The validated configuration and the AWS clients, built once per Lambda container. The configuration
 * is the one the stack deploys (SCALER_CONFIG, JSON), the state table the one it binds; anything missing
 * or invalid fails the cold start with the reason, before any event is handled.
 */
export function createRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  const raw = env.SCALER_CONFIG;
  const table = env.SCALER_STATE_TABLE;
  const problems = [
    ...(raw === undefined ? [{ path: 'SCALER_CONFIG', message: 'must hold the controller configuration as JSON' }] : []),
    ...(table === undefined || table === '' ? [{ path: 'SCALER_STATE_TABLE', message: 'must name the DynamoDB state table' }] : []),
  ];
  if (problems.length > 0) throw new ConfigError('runtime environment', problems);
  let json: unknown;
  try {
    json = JSON.parse(raw!);
  } catch (error) {
    throw new ConfigError('runtime environment', [{ path: 'SCALER_CONFIG', message: `is not valid JSON: ${(error as Error).message}` }], { cause: error });
  }
  const config = parseControllerConfig(json);
  // Throttling and 5xx answers are retried with backoff by the SDK itself.
  const sdk = { maxAttempts: 5, retryMode: 'adaptive' };
  const clients = { ecs: new ECSClient(sdk), autoscaling: new AutoScalingClient(sdk) };
  const cloudwatch = new CloudWatchClient(sdk);
  return {
    config,
    deps: {
      clients,
      unitLoads: new CloudWatchUnitLoads(cloudwatch),
      metrics: new CloudWatchMetrics(cloudwatch),
      state: new DynamoStateStore(DynamoDBDocumentClient.from(new DynamoDBClient(sdk)), table!),
    },
  };
}

let cached: Runtime | undefined;
/** The container's runtime, created on first use. */
export const runtime = (): Runtime => (cached ??= createRuntime());
