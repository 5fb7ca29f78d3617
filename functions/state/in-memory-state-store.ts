import { emptyState, type Decision, type EpochSeconds, type ForecastModel } from '../../core';
import { StateConflictError } from '../errors';
import type { StateStore, StoredState } from './state-store';

/** A StateStore in this process's memory, with the same versioned saves as DynamoDB's conditional writes. */
export class InMemoryStateStore implements StateStore {
  private readonly states = new Map<string, StoredState & { lastDecision: { at: EpochSeconds; desired: number; reason: string } }>();
  private readonly forecasts = new Map<string, { model: ForecastModel; fittedAt: EpochSeconds }>();
  private readonly protection = new Map<string, string[]>();

  async load(target: string): Promise<StoredState> {
    const stored = this.states.get(target);
    return stored === undefined ? { state: emptyState(), version: 0 } : { state: structuredClone(stored.state), version: stored.version };
  }

  async save(target: string, decision: Decision, version: number, now: EpochSeconds): Promise<number> {
    const current = this.states.get(target)?.version ?? 0;
    if (current !== version) throw new StateConflictError(`state of target ${target} changed since version ${version}`);
    const next = version + 1;
    this.states.set(target, { state: structuredClone(decision.state), version: next, lastDecision: { at: now, desired: decision.desired, reason: decision.reason } });
    return next;
  }

  /** The last decision saved for a target, as the state table's `lastDecision` holds it. */
  lastDecision(target: string): { at: EpochSeconds; desired: number; reason: string } | undefined {
    return this.states.get(target)?.lastDecision;
  }

  async loadForecast(target: string): Promise<{ model: ForecastModel; fittedAt: EpochSeconds } | undefined> {
    return this.forecasts.get(target);
  }

  async saveForecast(target: string, model: ForecastModel, fittedAt: EpochSeconds): Promise<void> {
    this.forecasts.set(target, { model, fittedAt });
  }

  async loadProtection(target: string): Promise<string[]> {
    return [...(this.protection.get(target) ?? [])];
  }

  async saveProtection(target: string, units: readonly string[]): Promise<void> {
    this.protection.set(target, [...units]);
  }
}
