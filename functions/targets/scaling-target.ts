/** What the engine needs to know about a scalable target right now. */
export interface TargetCapacity {
  readonly desired: number;
  /** The platform's own limits (the ASG's or the service's), reported for the log. */
  readonly min?: number;
  readonly max?: number;
}

/** One kind of scalable target (ECS service, EC2 Auto Scaling group, local fleet) behind one small interface. */
export interface ScalingTarget {
  readonly kind: string;
  describe(): Promise<TargetCapacity>;
  setDesired(desired: number): Promise<void>;
}
