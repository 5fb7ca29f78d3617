import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { KubeConfig } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { ConfigError, type ControllerConfig, type TargetConfig } from '../core';
import { FORECAST_METRIC, InMemoryStateStore, readerOf, type ControllerDeps, type DecisionLog, type Deployment, type Runtime } from '../controller';
import { scalingTargetFor, targetProblemsWhere, type Platform } from '../kinds';
import { connectMetricSource, metricSourceOf, redisHeartbeat, type MetricSeams } from '../metric-sources';
import { heartbeatCluster } from './heartbeat-cluster';
import { apiCluster } from './kubernetes-api';

/** The metric sources scaler keda reads: the Redis heartbeats in the cluster, or CloudWatch (EKS with IRSA). */
const KEDA_SOURCES = ['cloudwatch', 'redis-heartbeat'];

/** What scaler keda can run: every kind with an adapter, either metric source. */
export const KEDA_DEPLOYMENT: Deployment = {
  targetProblems: targetProblemsWhere((kind) => kind.adapter !== undefined),
  metricSource: (config) => metricSourceOf(config, KEDA_SOURCES),
};

/** Where scaler keda says its events come from. */
const KEDA_HOME = { account: '000000000000', region: 'ks-cluster-1' } as const;

export interface KedaRuntime extends Runtime {
  /** Whether anyone is connected to a target now. */
  connected(target: TargetConfig): Promise<boolean>;
  /** How the Kubernetes API is reached, for the start-up line. */
  readonly kubernetes: string;
  close(): Promise<void>;
}

/**
 * The controller as scaler keda runs it: the configured metric source, the kinds' adapters (a Kubernetes
 * Deployment's decisions go to the HPA through the board; an Auto Scaling group's straight to AWS), the
 * Kubernetes API in the cluster or where KUBECONFIG points, and the engine's state in memory. AWS clients
 * are made but call nothing unless a target or the source needs AWS.
 */
export function kedaRuntime(config: ControllerConfig, env: NodeJS.ProcessEnv, log: DecisionLog): KedaRuntime {
  const redisClients = new Map<string, Redis>();
  const redis = (url: string | undefined) => {
    const at = url ?? env.REDIS_URL;
    if (at === undefined || at === '') throw new ConfigError('metric source', [{ path: 'metricSource.url', message: 'set it, or REDIS_URL, to the Redis the chat nodes beat to' }]);
    let client = redisClients.get(at);
    if (client === undefined) {
      client = new Redis(at, { maxRetriesPerRequest: 2 });
      client.on('error', (error) => log.warn('redis', { error: error.message }));
      redisClients.set(at, client);
    }
    return client;
  };
  const sdk = { maxAttempts: 5, retryMode: 'adaptive' };
  let cloudwatch: CloudWatchClient | undefined;
  const seams: MetricSeams = connectMetricSource(config.metricSource, KEDA_SOURCES, { cloudwatch: () => (cloudwatch ??= new CloudWatchClient(sdk)), redis });
  const aws = { ecs: new ECSClient(sdk), applicationAutoScaling: new ApplicationAutoScalingClient(sdk), autoscaling: new AutoScalingClient(sdk) };
  const kube = kubeConfigFrom(env);
  const heartbeatSource = (config.metricSource?.type ?? '') === redisHeartbeat.name;
  const api = kube === undefined ? undefined : apiCluster(kube.config);
  const asked = new Map<string, number>();
  /** Each target's platform, made once: its cluster (the API, or outside one the heartbeats) and its HPA. */
  const platforms = new Map<string, Platform>();
  const platformFor = (target: TargetConfig): Platform => {
    let platform = platforms.get(target.name);
    if (platform === undefined) {
      const cluster = api ?? (heartbeatSource ? heartbeatCluster(redis(config.metricSource?.url as string | undefined), target.name, log) : undefined);
      const hpa = { ask: (replicas: number) => void asked.set(target.name, replicas), asked: () => asked.get(target.name) };
      platform = { ...aws, ...(cluster === undefined ? {} : { kubernetes: { cluster, hpa } }) };
      platforms.set(target.name, platform);
    }
    return platform;
  };
  // Every target's adapter is made once now, so that one this process cannot reach fails the start, not an evaluation.
  for (const target of config.targets) scalingTargetFor(target, platformFor(target));
  const deps: ControllerDeps = { targets: (target) => scalingTargetFor(target, platformFor(target)), ...seams, state: new InMemoryStateStore() };
  const clock = () => Date.now() / 1000;
  return {
    config,
    deps,
    clock,
    home: KEDA_HOME,
    connected: async (target) => (await readerOf(seams.metrics, FORECAST_METRIC).latest(target, clock())) > 0,
    kubernetes: kube?.where ?? (heartbeatSource ? 'none: the fleet as the Redis heartbeats show it' : 'none'),
    close: async () => {
      await Promise.all([...redisClients.values()].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** The Kubernetes API as the scaler's service account (in a cluster) or KUBECONFIG / ~/.kube/config reach it; none outside. */
function kubeConfigFrom(env: NodeJS.ProcessEnv): { config: KubeConfig; where: string } | undefined {
  const config = new KubeConfig();
  if (env.KUBERNETES_SERVICE_HOST) {
    config.loadFromCluster();
    return { config, where: 'in-cluster service account' };
  }
  const file = env.KUBECONFIG || join(homedir(), '.kube', 'config');
  if (!existsSync(file.split(':')[0]!)) return undefined;
  config.loadFromDefault();
  return { config, where: `${file} (context ${config.getCurrentContext()})` };
}
