import type { Command } from 'commander';
import { describeObjective } from '../../core';
import { parseDeployableConfig } from '../../controller';
import { AWS_DEPLOYMENT } from '../../aws';
import { defaultConfigPath, readJson } from '../io';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check a controller configuration as the deployed controller would run it, listing every problem at once')
    .argument('[config]', 'controller configuration (JSON)', defaultConfigPath)
    .option('--keda', 'check it as scaler keda would run it (Kubernetes targets, the Redis heartbeats) instead of the Lambda controller')
    .action(async (path: string, flags: { keda?: boolean }) => {
      const deployment = flags.keda ? (await import('../../keda')).KEDA_DEPLOYMENT : AWS_DEPLOYMENT;
      const config = parseDeployableConfig(readJson(path, 'configuration'), deployment);
      console.log(`${path} is valid: ${config.targets.length} target(s)`);
      for (const t of config.targets) {
        const policies = t.policies.map((p) => `${p.name} (${p.type})`).join(', ');
        const objective = t.objective === undefined ? '' : `; tuned daily to ${describeObjective(t.objective)}`;
        console.log(`  ${t.name}: ${t.kind}, ${t.minCapacity}..${t.maxCapacity} units, policies: ${policies}${objective}`);
      }
    });
}
