import { DescribeTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { imdsEndpoint } from './unit-id';

const TIMEOUT_MS = 2000;

/** Task states from the moment ECS starts to take a task out: deregistration comes first. */
const ECS_LEAVING = new Set(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']);
/** Target lifecycle states that take an instance out of the load balancer. */
const EC2_LEAVING = /^(Terminated|Detached|Standby|Warmed:)/;

/** One look at the platform: why this unit is being taken out, or undefined while it stays. */
type Look = () => Promise<string | undefined>;

export interface StopNoticeDeps {
  readonly ecs?: Pick<ECSClient, 'send'>;
  readonly fetch?: typeof fetch;
}

/**
 * Watches for the platform's own notice that this unit is being taken out of service, which comes
 * before the load balancer's deregistration delay ends (ECS: the task's DEACTIVATING state, read with
 * DescribeTasks; an ASG instance: its target lifecycle state in the instance metadata). Calls `onNotice`
 * once. Undefined where there is no platform to watch (local mode: the fleet drains its nodes itself).
 */
export function watchStopNotice(
  env: NodeJS.ProcessEnv,
  options: { readonly everySeconds: number; readonly instanceMetadata: boolean },
  onNotice: (why: string) => void,
  onError: (error: unknown) => void,
  deps: StopNoticeDeps = {},
): { stop(): void } | undefined {
  const fetchImpl = deps.fetch ?? fetch;
  let look: Look | undefined;
  if (env.ECS_CONTAINER_METADATA_URI_V4) {
    if (deps.ecs === undefined) throw new Error('an ECS client is needed to watch for the task being stopped');
    look = ecsTaskLook(env.ECS_CONTAINER_METADATA_URI_V4, deps.ecs, fetchImpl);
  } else if (options.instanceMetadata) {
    look = asgInstanceLook(imdsEndpoint(env), fetchImpl);
  }
  if (look === undefined) return undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    // Spread the fleet's calls: each node looks at its own moments.
    timer = setTimeout(tick, options.everySeconds * 1000 * (0.8 + Math.random() * 0.4));
    timer.unref();
  };
  const tick = async () => {
    try {
      const why = await look();
      if (stopped) return;
      if (why !== undefined) {
        stopped = true;
        return onNotice(why);
      }
    } catch (error) {
      if (!stopped) onError(error);
    }
    if (!stopped) schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function ecsTaskLook(metadataUri: string, ecs: Pick<ECSClient, 'send'>, fetchImpl: typeof fetch): Look {
  let task: { Cluster: string; TaskARN: string } | undefined;
  return async () => {
    task ??= (await (await fetchImpl(`${metadataUri}/task`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).json()) as { Cluster: string; TaskARN: string };
    const out = await ecs.send(new DescribeTasksCommand({ cluster: task.Cluster, tasks: [task.TaskARN] }));
    const described = out.tasks?.[0];
    if (described === undefined) return undefined;
    if (ECS_LEAVING.has(described.lastStatus ?? '')) return `ECS task ${described.lastStatus}`;
    if (described.desiredStatus === 'STOPPED') return 'ECS task desired STOPPED';
    return undefined;
  };
}

function asgInstanceLook(endpoint: string, fetchImpl: typeof fetch): Look {
  let token: { value: string; until: number } | undefined;
  return async () => {
    if (token === undefined || Date.now() > token.until) {
      const response = await fetchImpl(`${endpoint}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) throw new Error(`instance metadata token: HTTP ${response.status}`);
      token = { value: await response.text(), until: Date.now() + 6 * 3600_000 - 60_000 };
    }
    const response = await fetchImpl(`${endpoint}/latest/meta-data/autoscaling/target-lifecycle-state`, { headers: { 'X-aws-ec2-metadata-token': token.value }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (response.status === 401) token = undefined;
    // 404: not (yet) an Auto Scaling instance as far as the metadata goes.
    if (!response.ok) return undefined;
    const state = (await response.text()).trim();
    return EC2_LEAVING.test(state) ? `Auto Scaling target lifecycle state ${state}` : undefined;
  };
}
