import type { EpochSeconds } from '../core';

/**
 * Local mode's clock: simulated time runs `speed` times faster than real time from `start`. The handlers,
 * the event sources and the fleet's start-ups all read it, so cooldowns, warm-ups and alarm periods
 * play out compressed, exactly as they would in real time.
 */
export class SimulatedClock {
  private realStart: number;

  constructor(
    readonly start: EpochSeconds,
    readonly speed: number,
    private readonly realNow: () => number = () => performance.now() / 1000,
  ) {
    if (!(speed > 0)) throw new RangeError(`speed must be above 0, received ${speed}`);
    this.realStart = realNow();
  }

  /** Starts simulated time again from `start`, now: after set-up that should not count (a warm pool). */
  restart(): void {
    this.realStart = this.realNow();
  }

  now(): EpochSeconds {
    return this.start + (this.realNow() - this.realStart) * this.speed;
  }

  /** Real milliseconds that `simulatedSeconds` take. */
  realMs(simulatedSeconds: number): number {
    return (simulatedSeconds * 1000) / this.speed;
  }
}
