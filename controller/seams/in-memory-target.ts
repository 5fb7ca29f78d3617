import { busiest } from './metric-source';
import type { ScalingTarget, TargetCapacity } from './scaling-target';

/**
 * A ScalingTarget in this process's memory: a fleet of numbered units with the platform's own limits.
 * `setDesired` takes effect at once, and `running` follows it when `settle` is called, as a platform's
 * launches and stops would. Scale-in stops unprotected units first, as ECS and EC2 Auto Scaling do.
 */
export class InMemoryTarget implements ScalingTarget {
  readonly kind: string;
  private desired: number;
  private readonly units: string[] = [];
  private readonly protectedUnits = new Set<string>();
  private nextUnit = 0;
  private readonly limits: { min: number | undefined; max: number | undefined };
  /** Every capacity set, in order. */
  readonly changes: number[] = [];

  constructor(options: { kind?: string; desired: number; min?: number; max?: number }) {
    this.kind = options.kind ?? 'in-memory';
    this.desired = options.desired;
    this.limits = { min: options.min, max: options.max };
    this.settle();
  }

  async describe(): Promise<TargetCapacity> {
    const { min, max } = this.limits;
    return { desired: this.desired, running: this.units.length, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
  }

  async setDesired(desired: number): Promise<void> {
    this.desired = desired;
    this.changes.push(desired);
  }

  /** Launches or stops units until as many run as are desired; unprotected units stop first. */
  settle(): void {
    while (this.units.length < this.desired) this.units.push(`unit-${this.nextUnit++}`);
    while (this.units.length > this.desired) {
      const victim = [...this.units].reverse().find((u) => !this.protectedUnits.has(u)) ?? this.units[this.units.length - 1]!;
      this.units.splice(this.units.indexOf(victim), 1);
      this.protectedUnits.delete(victim);
    }
  }

  /** The running units, oldest first. */
  runningUnits(): readonly string[] {
    return [...this.units];
  }

  isProtected(unit: string): boolean {
    return this.protectedUnits.has(unit);
  }

  async protectBusiest(keep: number, loads: (units: readonly string[]) => Promise<ReadonlyMap<string, number>>): Promise<string[]> {
    const spared = busiest(await loads(this.units), keep);
    this.protectedUnits.clear();
    spared.forEach((u) => this.protectedUnits.add(u));
    return spared;
  }

  async releaseProtection(units: readonly string[]): Promise<void> {
    units.forEach((u) => this.protectedUnits.delete(u));
  }
}
