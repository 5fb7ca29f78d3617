import type { WarmupEntry } from './state';

/** Units still warming up (entries are already pruned to those not ready), never more than `capacity`. */
export function warmingUnits(warmups: readonly WarmupEntry[], capacity: number): number {
  let total = 0;
  for (const entry of warmups) total += entry.units;
  return Math.min(total, capacity);
}
