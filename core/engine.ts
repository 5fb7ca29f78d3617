import { boundCapacity, effectiveLimits, type CapacityLimits } from './bounds';
import type { EngineTarget } from './config/target';
import type { Decision, Proposal, ReasonCode } from './decision';
import { InvalidInputError } from './errors';
import type { Observation } from './observation';
import type { PolicyBase, PolicyContext } from './policies/policy';
import { POLICIES, type PolicyRegistry } from './policies/registry';
import type { TargetState } from './state';
import { pruneState, recordOutcome } from './state-transitions';
import type { EpochSeconds } from './time';

export interface DecideInput {
  /** A target configuration that has been through `parseTargetConfig` (or its registry's schema). */
  readonly target: EngineTarget;
  readonly observation: Observation;
  readonly state: TargetState;
  /** The controller's own clock: cooldowns, warm-ups and windows run on it. */
  readonly now: EpochSeconds;
  /**
   * When the event this decision answers happened (default: `now`). It only orders and deduplicates:
   * a decision for an event at or before the last change is not acted on.
   */
  readonly eventAt?: EpochSeconds;
}

/**
 * Decides one target's capacity: every policy proposes, the largest proposal wins (AWS's rule when several
 * policies are active), then the maximum step size and [min, max] apply. Pure: the same input gives the
 * same decision, and the new state is returned, never kept.
 *
 * Throws InvalidInputError, before deciding anything, if the observation cannot be trusted.
 */
export function decide({ target, observation, state, now, eventAt = now }: DecideInput, registry: PolicyRegistry = POLICIES): Decision {
  assertValidObservation(target, observation, now, registry);
  if (!Number.isFinite(eventAt)) throw new InvalidInputError(`Cannot decide for target ${target.name}: eventAt must be finite epoch seconds, got ${eventAt}`);
  const current = observation.capacity;
  const live = pruneState(state, target, now, registry);
  if (live.lastScaledAt !== null && eventAt <= live.lastScaledAt) return alreadyScaled(current, live, eventAt);
  const ctx: PolicyContext = { now, capacity: current, state: live, observation };

  const proposals: Proposal[] = [];
  const recommendations = new Map<string, number>();
  let maxCapacity = target.maxCapacity;
  for (const policy of target.policies) {
    const evaluation = registry.lookup(policy).propose(policy, ctx);
    proposals.push(evaluation.proposal);
    if (evaluation.recommendation !== undefined) recommendations.set(policy.name, evaluation.recommendation);
    if (evaluation.maxCapacity !== undefined) maxCapacity = Math.max(maxCapacity, evaluation.maxCapacity);
  }

  const winnerIndex = pickWinner(proposals);
  const winner = winnerIndex === undefined ? undefined : proposals[winnerIndex];
  // Floors bound a scale-in; they do not start one: without a real scale-in proposal, capacity holds.
  const scaleIns = proposals.filter((p) => !p.floorOnly && p.desired !== undefined && p.desired < current);
  // A floor may lift a scale-in only so far as the proposal still finds it worth making.
  const worthIt = (p: Proposal) => p.scaleInBelow === undefined || winner!.desired! < p.scaleInBelow;
  const scaleInWanted = scaleIns.some(worthIt);
  const proposed = winner?.desired === undefined || (winner.desired < current && !scaleInWanted) ? current : winner.desired;
  const tooSmall = winner?.desired !== undefined && winner.desired < current && !scaleInWanted ? scaleIns[0] : undefined;
  // A scale-in while another policy's scale-out alarm still fires would undo that scale-out: capacity flaps.
  const heldBy = proposed < current ? scaleInHolds(target, ctx, registry) : [];
  const wanted = heldBy.length > 0 ? current : proposed;
  const limits = effectiveLimits({ ...target, maxCapacity }, observation.platform);
  const { desired, limitedBy } = boundCapacity(current, wanted, limits);

  const moved = Math.sign(desired - current);
  const cause: PolicyBase | undefined =
    winnerIndex !== undefined && moved !== 0 && Math.sign(wanted - current) === moved ? target.policies[winnerIndex] : undefined;
  const newState = recordOutcome(live, target, { now, eventAt, current, desired, cause, recommendations }, registry);

  let reason: ReasonCode;
  let message: string;
  if (limitedBy !== undefined) {
    reason = limitedBy;
    message = `${limitMessage(limitedBy, wanted, desired, limits)}${winner ? `; ${winner.message}` : ''}`;
  } else if (heldBy.length > 0) {
    reason = 'ScaleOutAlarmFiring';
    message = `${winner!.message}; no scale-in while ${heldBy.join(', ')}: stays at ${current}`;
  } else if (tooSmall !== undefined) {
    reason = 'NoChange';
    message = `${tooSmall.message}; ${winner!.policy}'s floor of ${winner!.desired} leaves a scale-in too small to make (${tooSmall.policy} scales in only to ${Math.ceil(tooSmall.scaleInBelow!) - 1} or fewer): stays at ${current}`;
  } else if (winner !== undefined) {
    reason = winner.reason;
    message = winner.message;
  } else {
    reason = 'NoChange';
    message = `no policy proposed a capacity; stays at ${current} (${proposals.map((p) => p.message).join('; ')})`;
  }
  return {
    current,
    desired,
    reason,
    message,
    ...(winner !== undefined ? { policy: winner.policy } : {}),
    proposals,
    state: newState,
  };
}

/** Why each policy that holds every scale-in back does so now (a scale-out alarm in ALARM). */
function scaleInHolds(target: EngineTarget, ctx: PolicyContext, registry: PolicyRegistry): string[] {
  return target.policies.flatMap((policy) => registry.lookup(policy).holdsScaleIn?.(policy, ctx) ?? []);
}

/**
 * At-least-once delivery can hand the same event over twice, and a late event can arrive after a newer
 * one was acted on. Neither is acted on: the capacity the earlier decision set stands.
 */
function alreadyScaled(current: number, live: TargetState, eventAt: EpochSeconds): Decision {
  return {
    current,
    desired: current,
    reason: 'AlreadyScaled',
    message: `already scaled at ${live.lastScaledAt}; a decision for ${eventAt} is a duplicate or stale and is not acted on`,
    proposals: [],
    state: live,
  };
}

/** Reasons that say only "nothing to do"; on a tie, a proposal that explains a held or blocked change is shown. */
const NEUTRAL: ReadonlySet<ReasonCode> = new Set(['WithinTolerance', 'StepNoChange', 'PredictiveHold']);

function pickWinner(proposals: readonly Proposal[]): number | undefined {
  let best: number | undefined;
  proposals.forEach((p, i) => {
    if (p.desired === undefined) return;
    const top = best === undefined ? undefined : proposals[best]!;
    if (top === undefined || p.desired > top.desired! || (p.desired === top.desired && NEUTRAL.has(top.reason) && !NEUTRAL.has(p.reason))) {
      best = i;
    }
  });
  return best;
}

function limitMessage(limit: ReasonCode, wanted: number, desired: number, limits: CapacityLimits): string {
  switch (limit) {
    case 'ClampedToMax':
      return `wanted ${wanted}, clamped to maxCapacity ${limits.maxCapacity}`;
    case 'ClampedToMin':
      return `wanted ${wanted}, clamped to minCapacity ${limits.minCapacity}`;
    case 'ClampedToPlatformMax':
      return `wanted ${wanted}, clamped to the platform's max ${limits.maxCapacity}, below the configured maxCapacity`;
    case 'ClampedToPlatformMin':
      return `wanted ${wanted}, clamped to the platform's min ${limits.minCapacity}, above the configured minCapacity`;
    default:
      return `wanted ${wanted}, limited to ${desired} by maxStepSize ${limits.maxStepSize}`;
  }
}

/** Refuses observations the engine cannot decide on, listing every problem at once. */
function assertValidObservation(target: EngineTarget, observation: Observation, now: EpochSeconds, registry: PolicyRegistry): void {
  const problems: string[] = [];
  if (!Number.isFinite(now)) problems.push(`now must be finite epoch seconds, got ${now}`);
  const { capacity } = observation;
  if (!Number.isInteger(capacity) || capacity < 0) problems.push(`capacity must be a whole number >= 0, got ${capacity}`);
  const platform = observation.platform ?? {};
  for (const side of ['min', 'max'] as const) {
    const limit = platform[side];
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) problems.push(`the platform's ${side} must be a whole number >= 0, got ${limit}`);
  }
  const narrowed = effectiveLimits(target, platform);
  if (narrowed.minCapacity > narrowed.maxCapacity) {
    problems.push(`the configured limits [${target.minCapacity}, ${target.maxCapacity}] and the platform's [${platform.min ?? '-'}, ${platform.max ?? '-'}] leave no capacity to choose`);
  }

  const alarmDriven = new Set<string>();
  const forecastReading = new Set<string>();
  for (const policy of target.policies) {
    const inputs = registry.lookup(policy).inputs(policy);
    if (inputs.forecast !== undefined) forecastReading.add(policy.name);
    if (inputs.alarm !== undefined) alarmDriven.add(policy.name);
    if (inputs.metric === undefined) continue;
    const value = observation.metrics[inputs.metric];
    if (value === undefined) problems.push(`policy ${policy.name} tracks metric "${inputs.metric}", which was not observed`);
    else if (!Number.isFinite(value) || value < 0) problems.push(`metric "${inputs.metric}" must be a finite number >= 0, got ${value}`);
  }
  for (const [name, alarm] of Object.entries(observation.alarms)) {
    if (!alarmDriven.has(name)) {
      problems.push(`alarm for "${name}" matches no step policy of target ${target.name}`);
      continue;
    }
    if (!Number.isFinite(alarm.threshold)) problems.push(`alarm for ${name}: threshold must be finite, got ${alarm.threshold}`);
    if (alarm.datapoints.length === 0) problems.push(`alarm for ${name}: at least one datapoint is needed`);
    const bad = alarm.datapoints.find((p) => !Number.isFinite(p.value));
    if (bad !== undefined) problems.push(`alarm for ${name}: datapoints must be finite numbers, got ${bad.value}`);
  }
  for (const [name, schedule] of Object.entries(observation.schedules ?? {})) {
    if (!forecastReading.has(name)) problems.push(`schedule for "${name}" matches no predictive policy of target ${target.name}`);
    else if (!(schedule.stepSeconds > 0) || !Number.isFinite(schedule.start)) problems.push(`schedule for ${name}: start must be finite and stepSeconds > 0`);
    else if (schedule.units.some((u) => !Number.isInteger(u) || u < 0)) problems.push(`schedule for ${name}: units must be whole numbers >= 0`);
    else if (schedule.keep !== undefined && (schedule.keep.length !== schedule.units.length || schedule.keep.some((k, i) => !Number.isInteger(k) || k < schedule.units[i]!))) {
      problems.push(`schedule for ${name}: keep must have one whole number per step of units, none below it`);
    }
  }
  if (problems.length > 0) {
    throw new InvalidInputError(`Cannot decide for target ${target.name}: ${problems.join('; ')}`);
  }
}
