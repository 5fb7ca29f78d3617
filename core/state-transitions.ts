import type { EngineTarget } from './config/target';
import type { PolicyBase } from './policies/policy';
import type { PolicyRegistry } from './policies/registry';
import type { Recommendation, ScaleEvent, TargetState, WarmupEntry } from './state';
import type { EpochSeconds } from './time';

/** Drops what no longer matters at `now`: finished warm-ups, expired cooldowns, history older than any window. */
export function pruneState(state: TargetState, target: EngineTarget, now: EpochSeconds, registry: PolicyRegistry): TargetState {
  const recommendations: Record<string, readonly Recommendation[]> = {};
  for (const policy of target.policies) {
    const window = registry.lookup(policy).historySeconds(policy);
    if (window === 0) continue;
    const kept = (state.recommendations[policy.name] ?? []).filter((r) => r.at > now - window && r.at <= now);
    if (kept.length > 0) recommendations[policy.name] = kept;
  }
  const retention = scaleEventRetention(target, registry);
  return {
    warmups: state.warmups.filter((w) => w.readyAt > now),
    cooldown: state.cooldown !== null && state.cooldown.until > now ? state.cooldown : null,
    recommendations,
    scaleEvents: retention > 0 ? state.scaleEvents.filter((e) => e.at > now - retention && e.at <= now) : [],
    lastScaledAt: state.lastScaledAt,
  };
}

export interface Outcome {
  readonly now: EpochSeconds;
  /** The event the decision answered: what the next decisions are deduplicated against. */
  readonly eventAt: EpochSeconds;
  readonly current: number;
  readonly desired: number;
  /** The policy whose proposal moved capacity in the applied direction, if one did. */
  readonly cause: PolicyBase | undefined;
  /** Raw target tracking recommendations made in this decision, by policy name. */
  readonly recommendations: ReadonlyMap<string, number>;
}

/** The state after `outcome` has been applied to a target whose live state was `live`. */
export function recordOutcome(live: TargetState, target: EngineTarget, outcome: Outcome, registry: PolicyRegistry): TargetState {
  const { now, eventAt, current, desired, cause } = outcome;
  const recommendations = { ...live.recommendations };
  for (const policy of target.policies) {
    const value = outcome.recommendations.get(policy.name);
    if (value === undefined || registry.lookup(policy).historySeconds(policy) === 0) continue;
    recommendations[policy.name] = [...(recommendations[policy.name] ?? []).filter((r) => r.at !== now), { at: now, desired: value }];
  }
  if (desired === current) return { ...live, recommendations };

  const event: ScaleEvent = { at: now, from: current, to: desired };
  const scaleEvents = scaleEventRetention(target, registry) > 0 ? [...live.scaleEvents, event] : live.scaleEvents;
  const after = cause === undefined ? {} : registry.lookup(cause).afterScaling(cause);
  const cooldownSeconds = after.cooldownSeconds ?? 0;

  if (desired > current) {
    const warmupSeconds = after.warmupSeconds ?? target.warmupSeconds;
    const warmups = warmupSeconds > 0 ? [...live.warmups, { units: desired - current, readyAt: now + warmupSeconds }] : live.warmups;
    // A scale-out ends a scale-in cooldown; a step scale-out starts (or extends) its own, keeping the base.
    let cooldown = live.cooldown?.direction === 'in' ? null : live.cooldown;
    if (cooldownSeconds > 0) {
      const baseCapacity = cooldown?.direction === 'out' ? cooldown.baseCapacity : current;
      cooldown = { direction: 'out', until: now + cooldownSeconds, baseCapacity, policy: cause!.name };
    }
    return { warmups, cooldown, recommendations, scaleEvents, lastScaledAt: eventAt };
  }

  const cooldown =
    cooldownSeconds > 0
      ? { direction: 'in' as const, until: now + cooldownSeconds, baseCapacity: current, policy: cause!.name }
      : live.cooldown;
  return { warmups: trimWarmups(live.warmups, desired), cooldown, recommendations, scaleEvents, lastScaledAt: eventAt };
}

/** After a scale-in, at most `capacity` units can still be warming: the newest go first. */
function trimWarmups(warmups: readonly WarmupEntry[], capacity: number): readonly WarmupEntry[] {
  let room = capacity;
  const kept: WarmupEntry[] = [];
  for (const entry of warmups) {
    const units = Math.min(entry.units, room);
    if (units > 0) kept.push(units === entry.units ? entry : { ...entry, units });
    room -= units;
  }
  return kept;
}

/** How long scale events matter: the longest rate-limit period of any policy. */
function scaleEventRetention(target: EngineTarget, registry: PolicyRegistry): number {
  return target.policies.reduce((longest, policy) => Math.max(longest, registry.lookup(policy).rateLimitSeconds(policy)), 0);
}
