import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { AdapterError } from '../controller';
import { DELETION_COST, type KubernetesCluster } from '../kinds';

// The Kubernetes API client lives here, in scaler keda's room, not in the kind's folder: the Lambdas
// bundle every kind, and @kubernetes/client-node alone would be four times their size aim.

/** The deletion costs are int32; connections never come near, but a cost must stay in range. */
const MAX_COST = 2 ** 31 - 1;

/** The cluster through the Kubernetes API, as the kube config (in-cluster, KUBECONFIG or ~/.kube/config) reaches it. */
export function apiCluster(config: KubeConfig): KubernetesCluster {
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  return {
    async deployment(namespace, name) {
      const deployment = await apps.readNamespacedDeployment({ namespace, name }).catch((error: unknown) => {
        throw new AdapterError(`cannot read Deployment ${namespace}/${name}: ${apiMessage(error)}`, { cause: error });
      });
      const selector = deployment.spec?.selector;
      if (selector?.matchExpressions?.length) throw new AdapterError(`Deployment ${namespace}/${name} selects its pods with matchExpressions; only matchLabels is supported`);
      const labels = Object.entries(selector?.matchLabels ?? {});
      if (labels.length === 0) throw new AdapterError(`Deployment ${namespace}/${name} has no matchLabels selector`);
      return { replicas: deployment.spec?.replicas ?? 1, ready: deployment.status?.readyReplicas ?? 0, selector: labels.map(([k, v]) => `${k}=${v}`).join(',') };
    },
    async pods(namespace, selector) {
      const list = await core.listNamespacedPod({ namespace, labelSelector: selector }).catch((error: unknown) => {
        throw new AdapterError(`cannot list pods ${selector} in ${namespace}: ${apiMessage(error)}`, { cause: error });
      });
      return list.items
        .filter((pod) => pod.metadata?.deletionTimestamp === undefined && (pod.status?.phase === 'Running' || pod.status?.phase === 'Pending'))
        .map((pod) => pod.metadata!.name!);
    },
    async setDeletionCost(namespace, pod, cost) {
      const value = cost === undefined ? null : String(Math.min(MAX_COST, Math.max(0, Math.round(cost))));
      const body = { metadata: { annotations: { [DELETION_COST]: value } } };
      await core.patchNamespacedPod({ namespace, name: pod, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)).catch((error: unknown) => {
        // A pod that went meanwhile needs no cost.
        if (statusOf(error) === 404) return;
        throw new AdapterError(`cannot annotate pod ${namespace}/${pod}: ${apiMessage(error)}`, { cause: error });
      });
    },
  };
}

const statusOf = (error: unknown) => (error as { code?: number }).code;
const apiMessage = (error: unknown) => {
  const code = statusOf(error);
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return code === undefined ? message : `HTTP ${code}: ${message}`;
};
