import { z } from 'zod';
import type { EpochSeconds } from './time';

/** Units launched at once that count toward capacity but are still warming up until `readyAt`. */
export interface WarmupEntry {
  readonly units: number;
  readonly readyAt: EpochSeconds;
}

/** An Application Auto Scaling style cooldown started by a step policy's scaling activity. */
export interface Cooldown {
  readonly direction: 'out' | 'in';
  readonly until: EpochSeconds;
  /** Capacity before the activity that started the cooldown: scale-outs within it count from here. */
  readonly baseCapacity: number;
  readonly policy: string;
}

/** A target tracking policy's raw recommendation, kept for its stabilization window. */
export interface Recommendation {
  readonly at: EpochSeconds;
  readonly desired: number;
}

/** A change of capacity that was applied, kept for rate limits. */
export interface ScaleEvent {
  readonly at: EpochSeconds;
  readonly from: number;
  readonly to: number;
}

/**
 * Everything the engine remembers about one target between decisions. The engine keeps none of it:
 * the caller passes it in and persists the copy each decision returns.
 */
export interface TargetState {
  readonly warmups: readonly WarmupEntry[];
  readonly cooldown: Cooldown | null;
  /** Keyed by target tracking policy name. */
  readonly recommendations: Readonly<Record<string, readonly Recommendation[]>>;
  readonly scaleEvents: readonly ScaleEvent[];
  /** The time of the event whose decision last changed capacity: a decision for that event or an earlier one is a duplicate or stale. */
  readonly lastScaledAt: EpochSeconds | null;
}

export function emptyState(): TargetState {
  return { warmups: [], cooldown: null, recommendations: {}, scaleEvents: [], lastScaledAt: null };
}

const time = z.number().finite();
const units = z.number().int().min(0);

/** Schema for state read back from a store or a file: a corrupt state is refused, never guessed at. */
export const targetStateSchema = z.strictObject({
  warmups: z.array(z.strictObject({ units: units.min(1), readyAt: time })),
  cooldown: z
    .strictObject({ direction: z.enum(['out', 'in']), until: time, baseCapacity: units, policy: z.string().min(1) })
    .nullable(),
  recommendations: z.record(z.string(), z.array(z.strictObject({ at: time, desired: units }))),
  scaleEvents: z.array(z.strictObject({ at: time, from: units, to: units })),
  lastScaledAt: time.nullable(),
});
