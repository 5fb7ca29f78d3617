import type { ScaleEvent } from '../../state';
import type { EpochSeconds } from '../../time';
import type { DirectionLimits } from './schema';

/**
 * The highest capacity scale-out may reach now (HPA's scale-up limit): each rate limit counts from the
 * capacity at the start of its period, and `selectPolicy` picks the most (`Max`) or least (`Min`) permissive.
 */
export function scaleOutLimit(current: number, events: readonly ScaleEvent[], behavior: DirectionLimits, now: EpochSeconds): number {
  if (behavior.selectPolicy === 'Disabled') return current;
  const pick = behavior.selectPolicy === 'Min' ? Math.min : Math.max;
  let limit = behavior.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const rule of behavior.policies) {
    const start = current - changeWithin(events, now - rule.periodSeconds, 1);
    const allowed = rule.type === 'Units' ? start + rule.value : Math.ceil(start * (1 + rule.value / 100) - 1e-9);
    limit = pick(limit, allowed);
  }
  return Math.max(limit, current);
}

/** The lowest capacity scale-in may reach now (HPA's scale-down limit). */
export function scaleInLimit(current: number, events: readonly ScaleEvent[], behavior: DirectionLimits, now: EpochSeconds): number {
  if (behavior.selectPolicy === 'Disabled') return current;
  // `Max` allows the biggest change, which for scale-in is the lowest floor.
  const pick = behavior.selectPolicy === 'Min' ? Math.max : Math.min;
  let limit = behavior.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const rule of behavior.policies) {
    const start = current + changeWithin(events, now - rule.periodSeconds, -1);
    const allowed = rule.type === 'Units' ? start - rule.value : Math.floor(start * (1 - rule.value / 100) + 1e-9);
    limit = pick(limit, allowed);
  }
  return Math.min(Math.max(limit, 0), current);
}

/** Units moved in `sign`'s direction by events after `since`. */
function changeWithin(events: readonly ScaleEvent[], since: EpochSeconds, sign: 1 | -1): number {
  let total = 0;
  for (const event of events) {
    const change = (event.to - event.from) * sign;
    if (event.at > since && change > 0) total += change;
  }
  return total;
}
