export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';

/**
 * AWS's rounding of a fractional adjustment: toward zero when its magnitude is at least 1
 * (12.7 -> 12, -6.67 -> -6), away from zero when below 1 (0.67 -> 1, -0.58 -> -1).
 */
export function roundAdjustment(value: number): number {
  if (value === 0) return 0;
  const magnitude = Math.abs(value);
  // The epsilon keeps products like 2.9999999999999996 from losing a whole unit.
  return Math.sign(value) * (magnitude >= 1 ? Math.floor(magnitude + 1e-9) : 1);
}

export interface AdjustmentResult {
  /** The capacity the step asks for. */
  readonly capacity: number;
  /** How the number was reached, for the decision's message. */
  readonly explanation: string;
}

/** Applies one step's ScalingAdjustment to `base` capacity with AWS's semantics for each adjustment type. */
export function adjustCapacity(
  type: AdjustmentType,
  adjustment: number,
  base: number,
  minAdjustmentMagnitude: number | undefined,
): AdjustmentResult {
  switch (type) {
    case 'ExactCapacity':
      return { capacity: adjustment, explanation: `sets capacity to ${adjustment}` };
    case 'ChangeInCapacity':
      return { capacity: Math.max(0, base + adjustment), explanation: `${signed(adjustment)} from ${base}` };
    case 'PercentChangeInCapacity': {
      const exact = (base * adjustment) / 100;
      let change = roundAdjustment(exact);
      let explanation = `${signed(adjustment)}% of ${base} = ${signed(round2(exact))}, rounded to ${signed(change)}`;
      if (minAdjustmentMagnitude !== undefined && adjustment !== 0 && Math.abs(change) < minAdjustmentMagnitude) {
        change = Math.sign(adjustment) * minAdjustmentMagnitude;
        explanation += `, raised to MinAdjustmentMagnitude ${signed(change)}`;
      }
      return { capacity: Math.max(0, base + change), explanation };
    }
  }
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const round2 = (n: number) => Math.round(n * 100) / 100;
