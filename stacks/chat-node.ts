import { Stack } from 'aws-cdk-lib';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import type { Construct } from 'constructs';
import { drainTimings } from '../contract/drain';
import type { TargetConfig } from '../core';
import { nodeEnvironment } from './kind-deploy';

/** SST bundles the stacks into one file at the root and runs from there, as the tests do. */
export const PROJECT_ROOT = process.cwd();

/** How a chat unit's stop is timed: the drain window, the notice, the deregistration delay, the stop timeout. */
export const CHAT_DRAIN = drainTimings();
/** The platform kills a chat node this long after SIGTERM (ECS `stopTimeout`, the instance's `docker stop --time`). */
export const CHAT_STOP_SECONDS = CHAT_DRAIN.stopTimeoutSeconds;

/** The chat image, built from the project's Dockerfile (needs Docker at deploy time, not at synth). */
export function chatImage(scope: Construct): DockerImageAsset {
  return new DockerImageAsset(scope, 'ChatImage', { directory: PROJECT_ROOT, platform: Platform.LINUX_AMD64 });
}

/** What every chat node is told, wherever it runs: its target, its Redis, and how it publishes. */
export function chatEnvironment(scope: Construct, target: TargetConfig, redis: { host: string; port: number }): Record<string, string> {
  return {
    // Fargate sets it, but a container on an instance has no region unless told: the SDK does not ask IMDS.
    AWS_REGION: Stack.of(scope).region,
    REDIS_HOST: redis.host,
    REDIS_PORT: String(redis.port),
    CHAT_TARGET_KIND: target.kind,
    CHAT_TARGET_NAME: target.name,
    CHAT_SERVICE_NAME: 'chat',
    // The counts go to CloudWatch as embedded-metric records in the node's log: no API call, no permission.
    CHAT_CLOUDWATCH: 'on',
    // Every connection comes through the load balancer: the client's address is the one it appended.
    CHAT_TRUST_PROXY: 'on',
    CHAT_STOP_TIMEOUT_SECONDS: String(CHAT_STOP_SECONDS),
    CHAT_DRAIN_WINDOW_SECONDS: String(CHAT_DRAIN.drainWindowSeconds),
    CHAT_STOP_NOTICE_SECONDS: String(CHAT_DRAIN.noticeSeconds),
    ...nodeEnvironment(target),
  };
}

/** Why an instance role's `Resource: *` is acceptable (cdk-nag IAM5). */
export const REGISTRY_TOKEN_REASON = 'ecr:GetAuthorizationToken applies to the registry, not a repository: pulling the chat image needs it';
