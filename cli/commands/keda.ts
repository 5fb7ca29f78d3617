import { Logger } from '@aws-lambda-powertools/logger';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core';
import { parseDeployableConfig } from '../../controller';
import { parseNumberOption, readJson } from '../io';

interface KedaCommandOptions {
  config: string;
  port: number;
  host?: string;
  every: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
}

export function registerKeda(program: Command): void {
  program
    .command('keda')
    .description("Serve KEDA's external scaler over gRPC: evaluate the configured targets on a schedule and report each one's desired replicas to its HPA")
    .requiredOption('--config <file>', 'controller configuration (JSON); its metricSource says where connections are read')
    .requiredOption('--port <port>', 'gRPC port (0 picks a free one)', parseNumberOption('--port', { min: 0, max: 65535, integer: true }))
    .option('--host <address>', 'address to listen on (default 0.0.0.0)')
    .option('--every <seconds>', 'evaluate the targets this often (default 15, the HPA sync period)', parseNumberOption('--every', { min: 1 }), 15)
    .option('--tls-cert <file>', 'serve TLS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', "the certificate's PEM private key")
    .option('--tls-ca <file>', 'require client certificates signed by this PEM CA (mutual TLS)')
    .action(async (flags: KedaCommandOptions) => {
      const { KEDA_DEPLOYMENT, startKedaScaler } = await import('../../keda');
      const config = parseDeployableConfig(readJson(flags.config, 'configuration'), KEDA_DEPLOYMENT);
      const tls = tlsOf(flags);
      const log = new Logger({ serviceName: 'scaler-keda' });
      const scaler = await startKedaScaler({ config, port: flags.port, ...(flags.host === undefined ? {} : { host: flags.host }), ...(tls === undefined ? {} : { tls }), everySeconds: flags.every, env: process.env, log });
      const targets = config.targets.map((t) => `${t.name} (${t.minCapacity}..${t.maxCapacity})`).join(', ');
      console.error(`KEDA external scaler on port ${scaler.port}${tls === undefined ? '' : ' (TLS)'} for ${targets}; metric source ${config.metricSource?.type ?? 'cloudwatch'}; Kubernetes API: ${scaler.kubernetes}`);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await scaler.stop();
    });
}

function tlsOf(flags: KedaCommandOptions): { cert: string; key: string; ca?: string } | undefined {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) {
    if (flags.tlsCa !== undefined) throw new InvalidInputError('--tls-ca needs --tls-cert and --tls-key');
    return undefined;
  }
  if (flags.tlsCert === undefined || flags.tlsKey === undefined) throw new InvalidInputError('--tls-cert and --tls-key go together');
  return { cert: flags.tlsCert, key: flags.tlsKey, ...(flags.tlsCa === undefined ? {} : { ca: flags.tlsCa }) };
}
