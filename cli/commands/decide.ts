import type { Command } from 'commander';
import { decide, emptyState, parseObservation, parseOrThrow, targetStateSchema } from '../../core';
import { parseKnownKinds } from '../../kinds';
import { defaultConfigPath, parseTimeOption, pickTarget, readJson } from '../io';

interface DecideOptions {
  config: string;
  target?: string;
  observation: string;
  state?: string;
  now?: number;
}

export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('Make one scaling decision from an observation (and optional state), and print it as JSON')
    .requiredOption('-o, --observation <file>', 'observation JSON: {"capacity", "metrics", "alarms"}; "-" reads stdin')
    .option('-c, --config <file>', 'controller configuration (JSON)', defaultConfigPath)
    .option('-t, --target <name>', 'target to decide for (default: the first)')
    .option('-s, --state <file>', "the target's state from a previous decision (default: empty)")
    .option('--now <time>', 'decision time, epoch seconds or ISO 8601 (default: now)', parseTimeOption('--now'))
    .addHelpText('after', '\nThe decision JSON has the new desired capacity, a reason code, a message, each policy\'s proposal and the state to keep for the next decision.')
    .action((options: DecideOptions) => {
      const config = parseKnownKinds(readJson(options.config, 'configuration'));
      const target = pickTarget(config, options.target);
      const observation = parseObservation(readJson(options.observation, 'observation'));
      const state = options.state === undefined ? emptyState() : parseOrThrow(targetStateSchema, readJson(options.state, 'state'), 'state');
      const decision = decide({ target, observation, state, now: options.now ?? Date.now() / 1000 });
      console.log(JSON.stringify(decision, null, 2));
    });
}
