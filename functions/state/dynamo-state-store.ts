import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { emptyState, parseOrThrow, targetStateSchema, type Decision, type EpochSeconds, type TargetState } from '../../core';
import { StateConflictError } from '../errors';

export interface StoredState {
  readonly state: TargetState;
  /** 0 when nothing is stored yet; every save increments it. */
  readonly version: number;
}

/** Each target's engine state, the last decision, and a version that makes concurrent saves safe. */
export class DynamoStateStore {
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
  async save(target: string, decision: Decision, version: number, now: EpochSeconds): Promise<number> {
    const next = version + 1;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...this.key(target),
            version: next,
            state: decision.state,
            lastDecision: { at: now, current: decision.current, desired: decision.desired, reason: decision.reason, message: decision.message },
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
}
