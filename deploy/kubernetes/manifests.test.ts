import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllYaml } from '@kubernetes/client-node';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainTimings } from '../../contract/drain';
import { parseDeployableConfig } from '../../controller';
import { KEDA_DEPLOYMENT } from '../../keda';
import { ChatNodeProcess } from '../../test-support/chat-node-process';
import { RedisServer } from '../../test-support/redis-server';

const DIR = import.meta.dirname;
/** The API version each kind is served at today (Kubernetes 1.29+, KEDA 2.x): none deprecated, none beta. */
const CURRENT: Record<string, string> = {
  Namespace: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  ConfigMap: 'v1',
  Deployment: 'apps/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ScaledObject: 'keda.sh/v1alpha1',
};

// Loose views of the manifests: each test asserts the fields it relies on.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const docs: Array<Doc & { file: string }> = files.flatMap((file) => (loadAllYaml(readFileSync(join(DIR, file), 'utf8')) as Doc[]).map((d) => ({ ...d, file })));
const find = (kind: string, name: string) => {
  const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (doc === undefined) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return doc;
};
const container = (deployment: Doc) => deployment.spec.template.spec.containers[0];
const env = (deployment: Doc, name: string) => container(deployment).env.find((e: { name: string }) => e.name === name);

describe('the Kubernetes manifests', () => {
  it('parse, each object at its current API version, all in the chat namespace', () => {
    expect(files.sort()).toEqual(['chat.yaml', 'redis.yaml', 'scaledobject.yaml', 'scaler.yaml']);
    expect(docs.length).toBeGreaterThanOrEqual(12);
    for (const doc of docs) {
      expect(CURRENT[doc.kind], `${doc.file}: ${doc.kind}`).toBeDefined();
      expect(doc.apiVersion, `${doc.file}: ${doc.kind} ${doc.metadata.name}`).toBe(CURRENT[doc.kind]);
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace, `${doc.kind} ${doc.metadata.name}`).toBe('chat');
    }
  });

  it('run the chat nodes in the target the scaler scales, each known by its pod name, on the shipped Redis', () => {
    const chat = find('Deployment', 'chat');
    expect(env(chat, 'CHAT_SERVICE_NAME').value).toBe('chat-k8s');
    expect(env(chat, 'CHAT_TARGET_KIND').value).toBe('k8s-deployment');
    expect(env(chat, 'CHAT_UNIT_ID').valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    const redis = find('Service', 'redis');
    expect(env(chat, 'REDIS_URL').value).toBe(`redis://${redis.metadata.name}.chat.svc.cluster.local:${redis.spec.ports[0].port}`);
    expect(env(find('Deployment', 'scaler'), 'REDIS_URL').value).toBe(env(chat, 'REDIS_URL').value);
    expect(find('Service', 'chat').spec.selector).toEqual(chat.spec.selector.matchLabels);
  });

  it('check liveness apart from readiness, and give the preStop drain and the stop their time', () => {
    const chat = container(find('Deployment', 'chat'));
    expect(chat.livenessProbe.httpGet.path).toBe('/healthz');
    expect(chat.readinessProbe.httpGet.path).toBe('/readyz');
    const timings = drainTimings();
    const stopTimeout = Number(chat.env.find((e: { name: string }) => e.name === 'CHAT_STOP_TIMEOUT_SECONDS').value);
    const preStop: string = chat.lifecycle.preStop.exec.command.join(' ');
    expect(preStop).toContain(`setTimeout(()=>{},${timings.deregistrationDelaySeconds * 1000})`);
    expect(find('Deployment', 'chat').spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(timings.deregistrationDelaySeconds + stopTimeout);
  });

  it('give the scaler a Role with only what it does: get and list deployments and pods, patch pods, in its namespace', () => {
    expect(find('Role', 'scaler').rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'patch'] },
    ]);
    const binding = find('RoleBinding', 'scaler');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'scaler' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'scaler', namespace: 'chat' }]);
    expect(find('Deployment', 'scaler').spec.template.spec.serviceAccountName).toBe('scaler');
    expect(docs.filter((d) => d.kind.startsWith('Cluster'))).toEqual([]);
  });

  it('run scaler keda on the shipped configuration, which is examples/kubernetes.json and valid for it', () => {
    const scaler = find('Deployment', 'scaler');
    const command: string[] = container(scaler).command;
    expect(command.slice(0, 3)).toEqual(['node', 'bin/scaler.js', 'keda']);
    const configPath = command[command.indexOf('--config') + 1]!;
    const mount = container(scaler).volumeMounts.find((m: { mountPath: string }) => configPath.startsWith(`${m.mountPath}/`));
    const volume = scaler.spec.template.spec.volumes.find((v: { name: string }) => v.name === mount.name);
    const configMap = find('ConfigMap', volume.configMap.name);
    const shipped = JSON.parse(configMap.data[configPath.slice(mount.mountPath.length + 1)]);
    expect(shipped).toEqual(JSON.parse(readFileSync('examples/kubernetes.json', 'utf8')));
    expect(parseDeployableConfig(shipped, KEDA_DEPLOYMENT).targets.map((t) => t.name)).toEqual(['chat-k8s']);
    const port = Number(command[command.indexOf('--port') + 1]);
    expect(container(scaler).ports[0].containerPort).toBe(port);
    expect(find('Service', 'scaler').spec.ports[0].port).toBe(port);
  });

  it('have KEDA ask the scaler for its target, in replicas, with an HPA that adds no delay of its own', () => {
    const scaled = find('ScaledObject', 'chat');
    const target = JSON.parse(readFileSync('examples/kubernetes.json', 'utf8')).targets[0];
    expect(scaled.spec.scaleTargetRef).toEqual({ name: find('Deployment', 'chat').metadata.name });
    expect([scaled.spec.minReplicaCount, scaled.spec.maxReplicaCount]).toEqual([target.minCapacity, target.maxCapacity]);
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('external');
    expect(trigger.metricType).toBe('AverageValue');
    expect(trigger.metadata).toEqual({ scalerAddress: `scaler.chat.svc.cluster.local:${find('Service', 'scaler').spec.ports[0].port}`, target: target.name });
    const { scaleUp, scaleDown } = scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior;
    for (const direction of [scaleUp, scaleDown]) {
      expect(direction.stabilizationWindowSeconds).toBe(0);
      expect(direction.selectPolicy).toBe('Max');
      // Within one 15 s sync, the HPA may go anywhere between the bounds.
      const reach = Math.max(...direction.policies.map((p: { type: string; value: number; periodSeconds: number }) => (p.type === 'Percent' ? (p.value / 100) * target.maxCapacity : p.value)));
      expect(reach).toBeGreaterThanOrEqual(target.maxCapacity - target.minCapacity);
      for (const p of direction.policies) expect(p.periodSeconds).toBeLessThanOrEqual(15);
    }
  });
});

describe("the chat pod's preStop hook, run as the kubelet would run it", () => {
  let redis: RedisServer;
  let node: ChatNodeProcess;
  beforeAll(async () => {
    redis = await RedisServer.start();
    node = await ChatNodeProcess.start({ redisUrl: redis.url });
  }, 180_000);
  afterAll(async () => {
    await node?.stop();
    await redis?.dispose();
  });

  it('drains the node: not ready at once, its clients told to reconnect elsewhere within the window, then it stops by itself, cleanly', async () => {
    const client = io(node.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const notice = new Promise<{ reconnectInMs: number }>((resolve) => client.once('drain', resolve));
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    const [program, ...args] = container(find('Deployment', 'chat')).lifecycle.preStop.exec.command as string[];
    const hook = spawn(program === 'node' ? process.execPath : program!, args, { env: { ...process.env, PORT: String(node.port) }, stdio: 'ignore' });
    try {
      expect((await notice).reconnectInMs).toBeLessThan(drainTimings().drainWindowSeconds * 1000);
      expect((await node.readyz()).status).toBe(503);
      expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
      expect(await node.exited).toEqual({ code: 0, signal: null });
      expect(node.output).toContain('closed; no message lost');
    } finally {
      client.disconnect();
      hook.kill('SIGKILL');
    }
  }, 180_000);
});
