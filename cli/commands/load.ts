import type { Command } from 'commander';
import { rampProfile, traceProfile, type LoadProfile } from '../../chat/load/profile';
import { runLoad, type LoadReport } from '../../chat/load/load-generator';
import { CliInputError, collect, CommandFailedError, loadTrace, parseNumberOption } from '../io';

interface LoadCommandOptions {
  url: string[];
  connections: number;
  ramp: number;
  trace?: string;
  compress: number;
  duration: number;
  rate: number;
  rooms: number;
  json?: boolean;
}

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('Open socket.io chat connections (ramping, or following a trace played fast), send messages, report latency and errors')
    .option('--url <url>', 'a chat node; repeat for several (clients spread over them)', collect)
    .option('--connections <n>', 'connections to hold (with --trace: the mean the trace is scaled to)', parseNumberOption('--connections', { min: 0, max: 1_000_000, integer: true }), 100)
    .option('--ramp <seconds>', 'reach --connections over this long', parseNumberOption('--ramp', { min: 0 }), 10)
    .option('--trace <csv>', 'follow a load trace (timestamp,value) instead of a ramp')
    .option('--compress <factor>', 'trace seconds per real second (1440: a day in a minute)', parseNumberOption('--compress', { min: 1 }), 1440)
    .option('--duration <seconds>', 'how long to run', parseNumberOption('--duration', { min: 1 }), 30)
    .option('--rate <messages/s>', 'messages per second across all clients', parseNumberOption('--rate', { min: 0 }), 10)
    .option('--rooms <n>', 'rooms the clients are spread over', parseNumberOption('--rooms', { min: 1, integer: true }), 10)
    .option('--json', 'print the report as JSON')
    .action(async (options: LoadCommandOptions) => {
      if (!options.url?.length) throw new CliInputError('give at least one --url of a chat node, e.g. --url http://127.0.0.1:3000');
      options.url.forEach(checkChatUrl);
      const profile: LoadProfile = options.trace
        ? traceProfile(loadTrace(options.trace, options.connections), options.compress)
        : rampProfile(options.connections, options.ramp);
      const report = await runLoad({
        urls: options.url,
        profile,
        durationSeconds: options.duration,
        messagesPerSecond: options.rate,
        rooms: options.rooms,
        onSecond: (s) => {
          if (!options.json) console.error(`${String(s.elapsedSeconds).padStart(4)} s  connections ${s.open}/${s.target}  sent ${s.sent}  received ${s.received}  errors ${s.errors}`);
        },
      });
      console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
      const { open, target } = report.connections;
      if (open < target) {
        throw new CommandFailedError(`only ${open} of ${target} connections were open at the end (${report.errors.connect} connect errors): the chat did not hold the load`);
      }
    });
}

/** A chat node's address: an http(s) or ws(s) URL with a host. */
function checkChatUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliInputError(`--url ${JSON.stringify(url)} is not a URL; give a chat node's address, e.g. http://127.0.0.1:3000`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol) || parsed.hostname === '') {
    throw new CliInputError(`--url ${JSON.stringify(url)} must be an http, https, ws or wss address with a host, e.g. http://127.0.0.1:3000`);
  }
}

function formatReport(r: LoadReport): string {
  const ms = (n: number) => (Number.isNaN(n) ? '-' : `${n.toFixed(1)} ms`);
  const latency = (name: string, l: LoadReport['latencyMs']['all']) => `  ${name.padEnd(11)} p50 ${ms(l.p50)}  p99 ${ms(l.p99)}  max ${ms(l.max)}  (${l.samples} deliveries)`;
  return [
    `connections  ${r.connections.open} open of ${r.connections.target} wanted, peak ${r.connections.peak}, moved by a drain ${r.connections.moved}`,
    `messages     ${r.messages.sent} sent (${r.messages.perSecond.toFixed(1)}/s), ${r.messages.accepted} accepted, ${r.messages.deliveries} deliveries`,
    'latency, send to receipt:',
    latency('all', r.latencyMs.all),
    latency('same node', r.latencyMs.sameNode),
    latency('cross node', r.latencyMs.crossNode),
    `errors       connect ${r.errors.connect}, send ${r.errors.send}${Object.keys(r.errors.byCode).length ? ` ${JSON.stringify(r.errors.byCode)}` : ''}, unexpected disconnects ${r.errors.disconnects}`,
  ].join('\n');
}
