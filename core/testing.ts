// Builders shared by the core tests: validated configs and observations with little noise.
import { parseTargetConfig, type TargetConfig } from './config/target';
import { decide } from './engine';
import type { Decision } from './decision';
import type { AlarmObservation, Observation } from './observation';
import { emptyState, type TargetState } from './state';

export function target(overrides: Record<string, unknown> & { policies: unknown[] }): TargetConfig {
  return parseTargetConfig({ name: 'chat', kind: 'local-fleet', minCapacity: 0, maxCapacity: 1000, ...overrides });
}

export function alarm(threshold: number, ...values: number[]): AlarmObservation {
  return { threshold, datapoints: values.map((value) => ({ value })) };
}

export function observe(capacity: number, parts: Partial<Omit<Observation, 'capacity'>> = {}): Observation {
  return { capacity, metrics: parts.metrics ?? {}, alarms: parts.alarms ?? {} };
}

/** Runs decisions in sequence, applying each one (capacity and state) before the next, like a real loop. */
export class Loop {
  capacity: number;
  state: TargetState;

  constructor(
    private readonly config: TargetConfig,
    capacity: number,
    state: TargetState = emptyState(),
  ) {
    this.capacity = capacity;
    this.state = state;
  }

  step(now: number, parts: Partial<Omit<Observation, 'capacity'>> = {}): Decision {
    const decision = decide({ target: this.config, observation: observe(this.capacity, parts), state: this.state, now });
    this.capacity = decision.desired;
    this.state = decision.state;
    return decision;
  }
}
