import { emptyState } from '../../core';
import { StateConflictError } from '../errors';
import type { LastDecision, StateEntry, StateStore, StoredForecast, StoredState, StoredTuning } from './state-store';

/** A StateStore in this process's memory, with the same versioned saves as DynamoDB's conditional writes. */
export class InMemoryStateStore implements StateStore {
  private readonly states = new Map<string, StoredState & { lastDecision: LastDecision }>();
  private readonly forecasts = new Map<string, StoredForecast>();
  private readonly protection = new Map<string, string[]>();
  private readonly tunings = new Map<string, StoredTuning>();

  async load(target: string): Promise<StoredState> {
    const stored = this.states.get(target);
    return stored === undefined ? { state: emptyState(), version: 0 } : { state: structuredClone(stored.state), version: stored.version };
  }

  async save(target: string, entry: StateEntry, version: number): Promise<number> {
    const current = this.states.get(target)?.version ?? 0;
    if (current !== version) throw new StateConflictError(`state of target ${target} changed since version ${version}`);
    const next = version + 1;
    this.states.set(target, { state: structuredClone(entry.state), version: next, lastDecision: entry.lastDecision });
    return next;
  }

  /** The last decision saved for a target, as the state table's `lastDecision` holds it. */
  lastDecision(target: string): LastDecision | undefined {
    return this.states.get(target)?.lastDecision;
  }

  async loadForecast(target: string): Promise<StoredForecast | undefined> {
    return this.forecasts.get(target);
  }

  async saveForecast(target: string, forecast: StoredForecast): Promise<boolean> {
    const stored = this.forecasts.get(target);
    if (stored !== undefined && stored.fittedAt >= forecast.fittedAt) return false;
    this.forecasts.set(target, forecast);
    return true;
  }

  async loadTuning(target: string): Promise<StoredTuning | undefined> {
    return this.tunings.get(target);
  }

  async saveTuning(target: string, tuning: StoredTuning): Promise<boolean> {
    const stored = this.tunings.get(target);
    if (stored !== undefined && stored.tunedAt >= tuning.tunedAt) return false;
    this.tunings.set(target, structuredClone(tuning));
    return true;
  }

  async loadProtection(target: string): Promise<string[]> {
    return [...(this.protection.get(target) ?? [])];
  }

  async saveProtection(target: string, units: readonly string[]): Promise<void> {
    this.protection.set(target, [...units]);
  }
}
