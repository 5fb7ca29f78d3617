import type { EpochSeconds } from '../core';

/**
 * The simulated fleet: a unit is billed from launch and serves only once `startupSeconds` have passed.
 * Scale-in removes the youngest units first, so pending launches are cancelled before serving units go.
 */
export class Cluster {
  /** Launch times, oldest first. */
  private readonly launches: EpochSeconds[] = [];

  constructor(private readonly startupSeconds: number) {}

  get running(): number {
    return this.launches.length;
  }

  ready(now: EpochSeconds): number {
    const cutoff = now - this.startupSeconds;
    let lo = 0;
    let hi = this.launches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.launches[mid]! <= cutoff) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Launches or removes units so that `desired` are running; `launchedAt` backdates an initial fleet. */
  scaleTo(desired: number, now: EpochSeconds, launchedAt: EpochSeconds = now): void {
    while (this.launches.length < desired) this.launches.push(launchedAt);
    if (this.launches.length > desired) this.launches.length = desired;
  }
}
