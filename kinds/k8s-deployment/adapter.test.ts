import { readFileSync } from 'node:fs';
import { loadAllYaml } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../../core';
import { AdapterError } from '../../controller';
import { RecordingKubeApi, type RecordedCall } from '../../test-support/recording-kube-api';
import { scalingTargetFor, type Platform } from '..';
import { apiCluster } from '../../keda';
import { DELETION_COST } from './cluster';

const target = parseTargetConfig({
  name: 'chat-k8s',
  kind: 'k8s-deployment',
  resource: { namespace: 'chat', deployment: 'chat' },
  minCapacity: 1,
  maxCapacity: 10,
  policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 100 }],
});
const DEPLOYMENT = '/apis/apps/v1/namespaces/chat/deployments/chat';
const PODS = '/api/v1/namespaces/chat/pods?labelSelector=app.kubernetes.io%2Fname%3Dchat';
const pod = (name: string, phase: string, terminating = false) => ({ metadata: { name, ...(terminating ? { deletionTimestamp: '2026-12-07T10:00:00Z' } : {}) }, status: { phase } });

/** The scaler's Role in the shipped manifest: what it may do, as (verb, API group, resource). */
function shippedRole(): Array<{ verb: string; group: string; resource: string }> {
  const docs = loadAllYaml(readFileSync('deploy/kubernetes/scaler.yaml', 'utf8')) as Array<{ kind: string; rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> }>;
  return docs.find((d) => d.kind === 'Role')!.rules!.flatMap((r) => r.apiGroups.flatMap((group) => r.resources.flatMap((resource) => r.verbs.map((verb) => ({ verb, group, resource })))));
}

/** The RBAC verb, group and resource of a call, as the API server authorizes it. */
function authorized(call: RecordedCall): { verb: string; group: string; resource: string; namespace: string } {
  const [path] = call.path.split('?');
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/v1)\/namespaces\/([^/]+)\/([^/]+)(\/[^/]+)?$/.exec(path!);
  if (m === null) throw new Error(`not a namespaced resource path: ${call.path}`);
  const single = m[4] !== undefined;
  const verb = { GET: single ? 'get' : 'list', PATCH: 'patch', PUT: 'update', POST: 'create', DELETE: 'delete' }[call.verb]!;
  return { verb, group: m[1] ?? '', resource: m[3]!, namespace: m[2]! };
}

describe('the k8s-deployment adapter, against a recording Kubernetes API server', () => {
  let api: RecordingKubeApi;
  let asked: number[];
  let platform: Platform;
  let replicas: number;
  beforeEach(async () => {
    replicas = 3;
    asked = [];
    api = await RecordingKubeApi.start((call) => {
      if (call.verb === 'GET' && call.path === DEPLOYMENT) {
        return { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'chat', namespace: 'chat' }, spec: { replicas, selector: { matchLabels: { 'app.kubernetes.io/name': 'chat' } } }, status: { readyReplicas: 2 } } };
      }
      if (call.verb === 'GET' && call.path === PODS) {
        return { body: { apiVersion: 'v1', kind: 'PodList', items: [pod('chat-a', 'Running'), pod('chat-b', 'Running'), pod('chat-c', 'Pending'), pod('chat-old', 'Running', true), pod('chat-done', 'Succeeded')] } };
      }
      if (call.verb === 'PATCH' && call.path.startsWith('/api/v1/namespaces/chat/pods/chat-')) {
        return call.path.endsWith('/chat-gone') ? undefined : { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: call.path.split('/').pop() } } };
      }
      return undefined;
    });
    platform = { ecs: undefined!, applicationAutoScaling: undefined!, autoscaling: undefined!, kubernetes: { cluster: apiCluster(api.kubeConfig()), hpa: { ask: (n) => void asked.push(n), asked: () => asked.at(-1) } } };
  });
  afterEach(() => api.close());

  it('reads capacity from the Deployment: replicas as the HPA set them, ready as running', async () => {
    expect(await scalingTargetFor(target, platform).describe()).toEqual({ desired: 3, running: 2 });
    expect(api.calls).toEqual([{ verb: 'GET', path: DEPLOYMENT, contentType: undefined, body: undefined }]);
  });

  it('sends a decision to the HPA, never to the Deployment, and counts it as desired until the HPA has applied it', async () => {
    const adapter = scalingTargetFor(target, platform);
    await adapter.setDesired(5);
    expect(asked).toEqual([5]);
    expect(api.calls).toEqual([]);
    expect(await adapter.describe()).toEqual({ desired: 5, running: 2 });
  });

  it('lists the pods its selector picks that run or start, not those terminating or done', async () => {
    expect(await scalingTargetFor(target, platform).listUnits!()).toEqual(['chat-a', 'chat-b', 'chat-c']);
    expect(api.calls.map((c) => `${c.verb} ${c.path}`)).toEqual([`GET ${DEPLOYMENT}`, `GET ${PODS}`]);
  });

  it('before a scale-in, sets each pod’s deletion cost to its open connections, so the least loaded go first', async () => {
    const kept = await scalingTargetFor(target, platform).protectBusiest!(2, async (pods) => new Map(pods.map((p, i) => [p, [40, 310, 7][i]!])));
    expect(kept).toEqual(['chat-b', 'chat-a']);
    const patches = api.calls.filter((c) => c.verb === 'PATCH');
    expect(patches).toEqual(
      [['chat-a', '40'], ['chat-b', '310'], ['chat-c', '7']].map(([name, cost]) => ({
        verb: 'PATCH',
        path: `/api/v1/namespaces/chat/pods/${name}`,
        contentType: 'application/merge-patch+json',
        body: { metadata: { annotations: { [DELETION_COST]: cost } } },
      })),
    );
  });

  it('reads the Deployment once an evaluation: its selector serves the pod lists after it', async () => {
    const adapter = scalingTargetFor(target, platform);
    await adapter.describe();
    await adapter.listUnits!();
    await adapter.protectBusiest!(1, async (pods) => new Map(pods.map((p) => [p, 1])));
    expect(api.calls.filter((c) => c.verb === 'GET').map((c) => c.path)).toEqual([DEPLOYMENT, PODS, PODS]);
  });

  it('takes the costs off once the scale-in is over, passing over pods that already went', async () => {
    await scalingTargetFor(target, platform).releaseProtection!(['chat-a', 'chat-gone']);
    expect(api.calls).toEqual([
      { verb: 'PATCH', path: '/api/v1/namespaces/chat/pods/chat-a', contentType: 'application/merge-patch+json', body: { metadata: { annotations: { [DELETION_COST]: null } } } },
      { verb: 'PATCH', path: '/api/v1/namespaces/chat/pods/chat-gone', contentType: 'application/merge-patch+json', body: { metadata: { annotations: { [DELETION_COST]: null } } } },
    ]);
  });

  it('makes no call outside the shipped Role: get and list deployments and pods, patch pods, in its own namespace', async () => {
    const adapter = scalingTargetFor(target, platform);
    await adapter.describe();
    await adapter.listUnits!();
    await adapter.protectBusiest!(1, async (pods) => new Map(pods.map((p) => [p, 1])));
    await adapter.releaseProtection!(['chat-a']);
    const allowed = shippedRole();
    expect(allowed).toHaveLength(5);
    for (const call of api.calls) {
      const { verb, group, resource, namespace } = authorized(call);
      expect(namespace).toBe('chat');
      expect(allowed).toContainEqual({ verb, group, resource });
    }
    expect(new Set(api.calls.map((c) => authorized(c).verb))).toEqual(new Set(['get', 'list', 'patch']));
  });

  it('says which Deployment it cannot read, and with what status', async () => {
    const missing = parseTargetConfig({ ...target, resource: { namespace: 'chat', deployment: 'nope' } });
    const error = await scalingTargetFor(missing, platform).describe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as Error).message).toMatch(/^cannot read Deployment chat\/nope: HTTP 404/);
  });

  it('is refused where the deployment cannot reach Kubernetes, and refuses a resource that is not a Kubernetes name', () => {
    expect(() => scalingTargetFor(target, { ...platform, kubernetes: undefined })).toThrow('a k8s-deployment target needs the Kubernetes API: run scaler keda in the cluster or with KUBECONFIG, or read the redis-heartbeat metric source');
    expect(() => scalingTargetFor(parseTargetConfig({ ...target, resource: { namespace: 'Chat', deployment: 'chat' } }), platform)).toThrow('resource.namespace: must be a Kubernetes name');
  });
});
