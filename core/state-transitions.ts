import type { PolicyConfig, TargetConfig } from './config/target';
import type { Recommendation, ScaleEvent, TargetState, WarmupEntry } from './state';
import type { EpochSeconds } from './time';

/** Drops what no longer matters at `now`: finished warm-ups, expired cooldowns, history older than any window. */
export function pruneState(state: TargetState, target: TargetConfig, now: EpochSeconds): TargetState {
  const recommendations: Record<string, readonly Recommendation[]> = {};
  for (const policy of target.policies) {
    const window = stabilizationWindow(policy);
    if (window === 0) continue;
    const kept = (state.recommendations[policy.name] ?? []).filter((r) => r.at > now - window && r.at <= now);
    if (kept.length > 0) recommendations[policy.name] = kept;
  }
  const retention = scaleEventRetention(target);
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
  readonly current: number;
  readonly desired: number;
  /** The policy whose proposal moved capacity in the applied direction, if one did. */
  readonly cause: PolicyConfig | undefined;
  /** Raw target tracking recommendations made in this decision, by policy name. */
  readonly recommendations: ReadonlyMap<string, number>;
}

/** The state after `outcome` has been applied to a target whose live state was `live`. */
export function recordOutcome(live: TargetState, target: TargetConfig, outcome: Outcome): TargetState {
  const { now, current, desired, cause } = outcome;
  const recommendations = { ...live.recommendations };
  for (const policy of target.policies) {
    const value = outcome.recommendations.get(policy.name);
    if (value === undefined || stabilizationWindow(policy) === 0) continue;
    recommendations[policy.name] = [...(recommendations[policy.name] ?? []).filter((r) => r.at !== now), { at: now, desired: value }];
  }
  if (desired === current) return { ...live, recommendations };

  const event: ScaleEvent = { at: now, from: current, to: desired };
  const scaleEvents = scaleEventRetention(target) > 0 ? [...live.scaleEvents, event] : live.scaleEvents;
  const stepCooldown = cause?.type === 'ecs-step' && cause.Cooldown > 0 ? cause : undefined;

  if (desired > current) {
    const warmupSeconds = cause?.type === 'ec2-step' ? (cause.EstimatedInstanceWarmup ?? target.warmupSeconds) : target.warmupSeconds;
    const warmups = warmupSeconds > 0 ? [...live.warmups, { units: desired - current, readyAt: now + warmupSeconds }] : live.warmups;
    // A scale-out ends a scale-in cooldown; a step scale-out starts (or extends) its own, keeping the base.
    let cooldown = live.cooldown?.direction === 'in' ? null : live.cooldown;
    if (stepCooldown !== undefined) {
      const baseCapacity = cooldown?.direction === 'out' ? cooldown.baseCapacity : current;
      cooldown = { direction: 'out', until: now + stepCooldown.Cooldown, baseCapacity, policy: stepCooldown.name };
    }
    return { warmups, cooldown, recommendations, scaleEvents, lastScaledAt: now };
  }

  const cooldown =
    stepCooldown !== undefined
      ? { direction: 'in' as const, until: now + stepCooldown.Cooldown, baseCapacity: current, policy: stepCooldown.name }
      : live.cooldown;
  return { warmups: trimWarmups(live.warmups, desired), cooldown, recommendations, scaleEvents, lastScaledAt: now };
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

/** How long a policy's recommendations matter (0 for policies that keep none). */
function stabilizationWindow(policy: PolicyConfig): number {
  if (policy.type === 'target-tracking') return Math.max(policy.scaleOut.stabilizationSeconds, policy.scaleIn.stabilizationSeconds);
  if (policy.type === 'predictive') return policy.scaleIn.stabilizationSeconds;
  return 0;
}

/** How long scale events matter: the longest rate-limit period of any policy. */
function scaleEventRetention(target: TargetConfig): number {
  let longest = 0;
  for (const policy of target.policies) {
    const rules = policy.type === 'target-tracking' ? [...policy.scaleOut.policies, ...policy.scaleIn.policies] : policy.type === 'predictive' ? policy.scaleIn.policies : [];
    for (const rule of rules) longest = Math.max(longest, rule.periodSeconds);
  }
  return longest;
}
