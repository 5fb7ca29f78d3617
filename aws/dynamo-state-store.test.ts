import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, decide, emptyState, parseTargetConfig } from '../core';
import { StateConflictError } from '../controller';
import { DynamoStateStore } from './dynamo-state-store';

const db = mockClient(DynamoDBDocumentClient);
afterEach(() => db.reset());
const target = (kind: string, resource: Record<string, string>) =>
  parseTargetConfig({ name: 'chat', kind, resource, minCapacity: 1, maxCapacity: 9, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 700 }] });

describe('DynamoDB state store', () => {
  const store = new DynamoStateStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'scaler-state');
  const decision = decide({ target: target('ecs-service', { cluster: 'c', service: 's' }), observation: { capacity: 2, metrics: { connections: 2000 }, alarms: {} }, state: emptyState(), now: 100 });

  it('starts from an empty state at version 0', async () => {
    db.on(GetCommand).resolves({});
    expect(await store.load('chat')).toEqual({ state: emptyState(), version: 0 });
    expect(db.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'scaler-state', Key: { pk: 'target#chat' }, ConsistentRead: true });
  });

  it('saves conditionally on the version it read, with the last decision', async () => {
    db.on(PutCommand).resolves({});
    const lastDecision = { at: 100, current: 2, desired: 3, reason: decision.reason, message: decision.message };
    expect(await store.save('chat', { state: decision.state, lastDecision }, 4)).toBe(5);
    expect(db.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'scaler-state',
      Item: { pk: 'target#chat', version: 5, state: decision.state, lastDecision: { at: 100, current: 2, desired: 3, reason: decision.reason, message: decision.message } },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
    });
  });

  it('turns a lost race into a StateConflictError', async () => {
    db.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const lastDecision = { at: 100, current: 2, desired: 3, reason: decision.reason, message: decision.message };
    await expect(store.save('chat', { state: decision.state, lastDecision }, 4)).rejects.toThrow(StateConflictError);
  });

  it('refuses a corrupt stored state instead of guessing', async () => {
    db.on(GetCommand).resolves({ Item: { pk: 'target#chat', version: 3, state: { warmups: 'lots' } } });
    await expect(store.load('chat')).rejects.toThrow(ConfigError);
  });

  it('reads back a stored forecast model as it was saved', async () => {
    const model = { method: 'none', stepSeconds: 60, epoch: 0, profile: [], period: 1, quantile: 0.8, levels: [], bands: [[500]], smoothingSeconds: 0, scores: [], sampleSteps: 5, tracking: { level: 0.3, trend: 0.2 } };
    db.on(GetCommand, { Key: { pk: 'forecast#chat' } }).resolves({ Item: { pk: 'forecast#chat', fittedAt: 60, publishedUntil: 3660, model: JSON.stringify(model) } });
    expect(await store.loadForecast('chat')).toEqual({ model, fittedAt: 60, publishedUntil: 3660 });
  });
});
