import type { Redis } from 'ioredis';
import { readFleet } from '../contract/heartbeat';
import type { DecisionLog } from '../controller';
import type { KubernetesCluster } from '../kinds';

/**
 * Outside a cluster (no service account, no KUBECONFIG), the fleet as its heartbeats show it: the
 * Deployment's replicas are the target's live nodes, its pods their ids. No deletion cost can be set
 * there; that is said once.
 */
export function heartbeatCluster(redis: Pick<Redis, 'smembers' | 'mget' | 'srem'>, targetName: string, log: DecisionLog): KubernetesCluster {
  let said = false;
  return {
    async deployment() {
      const { nodes } = await readFleet(redis, targetName);
      const serving = nodes.filter((n) => !n.draining);
      return { replicas: serving.length, ready: serving.filter((n) => n.ready).length, selector: targetName };
    },
    async pods() {
      return (await readFleet(redis, targetName)).nodes.filter((n) => !n.draining).map((n) => n.nodeId);
    },
    async setDeletionCost() {
      if (said) return;
      said = true;
      log.warn('no Kubernetes API: pod deletion costs are not set, so a scale-in removes pods in the ReplicaSet’s own order', { target: targetName });
    },
  };
}
