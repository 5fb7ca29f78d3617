import { z } from 'zod';
import { AdapterError, busiest, type ScalingTarget } from '../../controller';
import type { KubernetesPlatform } from './cluster';

/** The name a configuration gives this kind. */
export const K8S_DEPLOYMENT = 'k8s-deployment';

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes name: lower-case letters, digits and "-"');
export const k8sDeploymentResource = z.strictObject({ namespace: dnsLabel, deployment: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name') });
export type K8sDeploymentResource = z.output<typeof k8sDeploymentResource>;

/**
 * A Kubernetes Deployment that its HPA scales (KEDA's, through the scaler's metric): capacity is its
 * replicas; a decision goes to the HPA, never to the Deployment itself. Before a scale-in, each pod's
 * deletion cost is set to its open connections, so that the ReplicaSet removes the least loaded first.
 */
export function k8sDeploymentTarget(kubernetes: KubernetesPlatform | undefined, { namespace, deployment }: K8sDeploymentResource): ScalingTarget {
  if (kubernetes === undefined) {
    throw new AdapterError(`a ${K8S_DEPLOYMENT} target needs the Kubernetes API: run scaler keda in the cluster or with KUBECONFIG, or read the redis-heartbeat metric source`);
  }
  const { cluster, hpa } = kubernetes;
  // The pods' selector, from the last read of the Deployment: one read an evaluation serves them too.
  let selector: string | undefined;
  const readDeployment = async () => {
    const read = await cluster.deployment(namespace, deployment);
    selector = read.selector;
    return read;
  };
  const pods = async () => cluster.pods(namespace, selector ?? (await readDeployment()).selector);
  return {
    kind: K8S_DEPLOYMENT,
    // The Deployment's replicas catch up with the HPA's next sync; a decision meanwhile starts from what was asked.
    async describe() {
      const { replicas, ready } = await readDeployment();
      return { desired: hpa.asked() ?? replicas, running: ready };
    },
    async setDesired(desired) {
      hpa.ask(desired);
    },
    listUnits: pods,
    async protectBusiest(keep, loads) {
      const byPod = await loads(await pods());
      for (const [pod, connections] of byPod) await cluster.setDeletionCost(namespace, pod, connections);
      return busiest(byPod, keep);
    },
    async releaseProtection(kept) {
      for (const pod of kept) await cluster.setDeletionCost(namespace, pod, undefined);
    },
  };
}
