import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ScalerError } from '../core';
import { registerBacktest } from './commands/backtest';
import { registerChat } from './commands/chat';
import { registerDecide } from './commands/decide';
import { registerForecast } from './commands/forecast';
import { registerHistory } from './commands/history';
import { registerKeda } from './commands/keda';
import { registerLoad } from './commands/load';
import { registerLocal } from './commands/local';
import { registerReplay } from './commands/replay';
import { registerTune } from './commands/tune';
import { registerValidate } from './commands/validate';
import { projectRoot } from './io';

export function buildProgram(): Command {
  const program = new Command('scaler')
    .description('Autoscaling controller for real-time (WebSocket) apps: step scaling, target tracking on open connections, predictive scaling')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  registerValidate(program);
  registerDecide(program);
  registerReplay(program);
  registerBacktest(program);
  registerForecast(program);
  registerTune(program);
  registerHistory(program);
  registerChat(program);
  registerLoad(program);
  registerLocal(program);
  registerKeda(program);
  return program;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(`${projectRoot}/package.json`, 'utf8')) as { version: string }).version;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ScalerError) {
      console.error(`${error.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
