/** What the engine needs to know about a scalable target right now. */
export interface TargetCapacity {
  readonly desired: number;
  /** Units actually running (ECS runningCount, InService instances): equal to desired once settled. */
  readonly running?: number;
  /** The platform's own limits (the ASG's or the service's), reported for the log. */
  readonly min?: number;
  readonly max?: number;
}

/** One kind of scalable target (ECS service, EC2 Auto Scaling group, local fleet) behind one small interface. */
export interface ScalingTarget {
  readonly kind: string;
  describe(): Promise<TargetCapacity>;
  setDesired(desired: number): Promise<void>;
  /** The ids of the units the platform runs or is starting now (task or instance ids), as the nodes publish them. */
  listUnits?(): Promise<string[]>;
  /**
   * Before a scale-in to `keep` units: protect the `keep` busiest (by `loads`, unit id -> connections)
   * so the platform removes the emptiest. Returns the protected unit ids.
   */
  protectBusiest?(keep: number, loads: (units: readonly string[]) => Promise<ReadonlyMap<string, number>>): Promise<string[]>;
  /** Lifts the protection `protectBusiest` set, once the scale-in is over. */
  releaseProtection?(units: readonly string[]): Promise<void>;
}
