import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { emptyState, parseOrThrow, targetStateSchema, tunedSettingsSchema, type ForecastModel } from '../core';
import { StateConflictError, type StateEntry, type StateStore, type StoredForecast, type StoredState, type StoredTuning } from '../controller';

/** Each target's engine state, the last decision, and a version that makes concurrent saves safe. */
export class DynamoStateStore implements StateStore {
  constructor(
    private readonly db: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly table: string,
  ) {}

  private key(target: string) {
    return { pk: `target#${target}` };
  }

  async load(target: string): Promise<StoredState> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: this.key(target), ConsistentRead: true }));
    if (out.Item === undefined) return { state: emptyState(), version: 0 };
    return { state: parseOrThrow(targetStateSchema, out.Item.state, `stored state of target ${target}`), version: Number(out.Item.version) };
  }

  /**
   * Saves the decision's state only if nobody saved since `version` was read: of two invocations that
   * decided from the same state, exactly one wins, and the other must re-read and decide again.
   */
  async save(target: string, entry: StateEntry, version: number): Promise<number> {
    const next = version + 1;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...this.key(target),
            version: next,
            state: entry.state,
            lastDecision: entry.lastDecision,
          },
          ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ...(version === 0 ? {} : { ExpressionAttributeValues: { ':expected': version } }),
        }),
      );
      return next;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new StateConflictError(`state of target ${target} changed since version ${version}`, { cause: error });
      }
      throw error;
    }
  }

  async loadForecast(target: string): Promise<StoredForecast | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `forecast#${target}` } }));
    if (out.Item === undefined) return undefined;
    const fittedAt = Number(out.Item.fittedAt);
    return { model: JSON.parse(String(out.Item.model)) as ForecastModel, fittedAt, publishedUntil: Number(out.Item.publishedUntil ?? fittedAt) };
  }

  /** Stores a fitted model as compact JSON (a week of 1-minute slots fits well within an item), if it is the newest. */
  async saveForecast(target: string, { model, fittedAt, publishedUntil }: StoredForecast): Promise<boolean> {
    const compact = JSON.stringify(model, (_key, value: unknown) => (typeof value === 'number' ? Math.round(value * 100) / 100 : value));
    return this.putUnlessNewer({ pk: `forecast#${target}`, fittedAt, publishedUntil, model: compact }, 'fittedAt');
  }


  async loadTuning(target: string): Promise<StoredTuning | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `tuning#${target}` } }));
    if (out.Item === undefined) return undefined;
    return { settings: parseOrThrow(tunedSettingsSchema, JSON.parse(String(out.Item.settings)), `stored tuning of target ${target}`), tunedAt: Number(out.Item.tunedAt) };
  }

  async saveTuning(target: string, { settings, tunedAt }: StoredTuning): Promise<boolean> {
    return this.putUnlessNewer({ pk: `tuning#${target}`, tunedAt, settings: JSON.stringify(settings) }, 'tunedAt');
  }

  /** Puts `item` unless the stored one's `at` is at or after its own: a late retry never replaces newer. */
  private async putUnlessNewer(item: Record<string, unknown> & { pk: string }, at: 'fittedAt' | 'tunedAt'): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: `attribute_not_exists(pk) OR ${at} < :at`, ExpressionAttributeValues: { ':at': item[at] } }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async loadProtection(target: string): Promise<string[]> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `protection#${target}` } }));
    return Array.isArray(out.Item?.units) ? (out.Item.units as unknown[]).map(String) : [];
  }

  async saveProtection(target: string, units: readonly string[]): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: `protection#${target}`, units: [...units] } }));
  }
}
