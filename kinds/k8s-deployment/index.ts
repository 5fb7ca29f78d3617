import { defineKind } from '../kind';
import { K8S_DEPLOYMENT, k8sDeploymentResource, k8sDeploymentTarget } from './adapter';

/**
 * A Kubernetes Deployment (Kops, EKS), scaled through KEDA: `scaler keda` serves its decisions to the HPA
 * as a metric, and sets the pods' deletion costs before a scale-in. No platform-specific policy types.
 */
export const k8sDeployment = defineKind({
  name: K8S_DEPLOYMENT,
  resource: k8sDeploymentResource,
  platforms: [],
  adapter: (resource, platform) => k8sDeploymentTarget(platform.kubernetes, resource),
});

export { DELETION_COST, type HpaRequests, type KubernetesCluster, type KubernetesPlatform } from './cluster';
