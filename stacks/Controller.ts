import { Table, type StackContext } from 'sst/constructs';
import { configPath, loadDeployableConfig } from '../functions/config';

/**
 * The scaling controller. For now: its validated configuration and the table that keeps each target's
 * state (cooldowns, warm-up, stabilization history, last decision) between invocations.
 */
export function Controller({ stack }: StackContext) {
  const config = loadDeployableConfig(configPath());

  const state = new Table(stack, 'State', {
    fields: { pk: 'string' },
    primaryIndex: { partitionKey: 'pk' },
    cdk: { table: { pointInTimeRecovery: true } },
  });

  stack.addOutputs({
    StateTable: state.tableName,
    Targets: config.targets.map((t) => `${t.name} (${t.kind})`).join(', '),
  });
  return { state, config };
}
