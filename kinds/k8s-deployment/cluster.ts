/** The annotation the ReplicaSet controller reads to choose which pods go first: the lowest cost goes first. */
export const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

export interface DeploymentReplicas {
  /** spec.replicas: what the HPA last set. */
  readonly replicas: number;
  /** status.readyReplicas. */
  readonly ready: number;
  /** Its pods' label selector, as a list call takes it. */
  readonly selector: string;
}

/** What a k8s-deployment target needs of its cluster: every call is one the scaler's Role allows. */
export interface KubernetesCluster {
  /** get deployments */
  deployment(namespace: string, name: string): Promise<DeploymentReplicas>;
  /** list pods: those running or starting, not those already terminating. */
  pods(namespace: string, selector: string): Promise<string[]>;
  /** patch pods: the deletion cost, or none to take it off. */
  setDeletionCost(namespace: string, pod: string, cost: number | undefined): Promise<void>;
}

/**
 * Where a target's decisions go: its HPA, which applies the replicas last asked for (the KEDA scaler
 * reports them as its metric) at its next sync. Until it has, they are the target's desired size, as an
 * ECS service's desiredCount is before its tasks start.
 */
export interface HpaRequests {
  ask(replicas: number): void;
  asked(): number | undefined;
}

/** What a deployment gives a k8s-deployment target: its cluster, and its HPA. */
export interface KubernetesPlatform {
  readonly cluster: KubernetesCluster;
  readonly hpa: HpaRequests;
}

declare module '../kind' {
  interface Platform {
    /** Present where the deployment serves Kubernetes targets (scaler keda). */
    readonly kubernetes?: KubernetesPlatform;
  }
}
