import type { ControllerConfig } from '../core';
import { OwnSchedule, type DecisionLog } from '../controller';
import { DecisionBoard } from './board';
import { kedaRuntime } from './runtime';
import { serveKeda, type KedaTls } from './server';

export interface KedaScalerOptions {
  readonly config: ControllerConfig;
  readonly port: number;
  readonly host?: string;
  readonly tls?: KedaTls;
  /** How often the targets are evaluated (KEDA polls every 30 s and the HPA syncs every 15 s by default). */
  readonly everySeconds: number;
  readonly env: NodeJS.ProcessEnv;
  readonly log: DecisionLog;
}

export interface RunningKedaScaler {
  readonly port: number;
  /** How the Kubernetes API is reached. */
  readonly kubernetes: string;
  stop(): Promise<void>;
}

/**
 * scaler keda: the engine on its own schedule (an evaluation every `everySeconds`, the forecast refresh
 * hourly, the re-tuning daily), its decisions served to KEDA over gRPC. The first evaluation runs before
 * the server answers, so that GetMetrics has a decision from the start.
 */
export async function startKedaScaler(options: KedaScalerOptions): Promise<RunningKedaScaler> {
  const runtime = kedaRuntime(options.config, options.env, options.log);
  const board = new DecisionBoard(options.config, runtime.connected, runtime.clock, options.everySeconds);
  const schedule = new OwnSchedule(runtime, options.log, options.everySeconds, (report, at) => board.record(report, at));
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = schedule.due(runtime.clock()).finally(() => {
      if (!stopped) timer = setTimeout(tick, nextSlotMs(runtime.clock(), options.everySeconds));
    });
  };
  await schedule.due(runtime.clock());
  let server;
  try {
    server = await serveKeda(board, { port: options.port, ...(options.host === undefined ? {} : { host: options.host }), ...(options.tls === undefined ? {} : { tls: options.tls }), streamSeconds: Math.min(5, options.everySeconds), log: options.log });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  timer = setTimeout(tick, nextSlotMs(runtime.clock(), options.everySeconds));
  return {
    port: server.port,
    kubernetes: runtime.kubernetes,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await server.close();
      await runtime.close();
    },
  };
}

/** Milliseconds to the start of the next slot, a little after it so that the slot has begun. */
const nextSlotMs = (now: number, everySeconds: number) => ((Math.floor(now / everySeconds) + 1) * everySeconds - now) * 1000 + 50;
