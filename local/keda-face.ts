import type { ControllerConfig, EpochSeconds, TargetConfig } from '../core';
import type { DecisionLog, EvaluationReport, ScalingTarget } from '../controller';
import { DecisionBoard, kedaClient, serveKeda, type KedaClient, type KedaServer } from '../keda';
import type { SimulatedClock } from './clock';
import type { LocalFleet } from './fleet';
import { LocalHpa, SHIPPED_BEHAVIOR } from './hpa';

/** The HPA's sync period (the controller manager's default). */
const HPA_SYNC_SECONDS = 15;

export interface HpaSync {
  readonly at: EpochSeconds;
  readonly metric: number;
  readonly current: number;
  readonly desired: number;
  readonly reason: string | undefined;
}

/**
 * Local mode through the KEDA face: the controller's decisions go to the real gRPC server scaler keda
 * runs, and an HPA stand-in asks it for them as KEDA's metrics adapter would and scales the local fleet,
 * as the HPA scales a Deployment. The controller still spares the busiest nodes before a scale-in.
 */
export class LocalKedaFace {
  private readonly board: DecisionBoard;
  private asked: number | undefined;
  private server: KedaServer | undefined;
  private client: KedaClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    config: ControllerConfig,
    private readonly target: TargetConfig,
    private readonly fleet: LocalFleet,
    private readonly clock: SimulatedClock,
    connected: (target: TargetConfig) => Promise<boolean>,
    private readonly log: DecisionLog,
    private readonly onSync?: (sync: HpaSync) => void,
  ) {
    this.board = new DecisionBoard(config, connected, () => clock.now(), 60);
  }

  /** What the local controller plugs in: the fleet behind the HPA, and the board told of every decision. */
  readonly hooks = {
    scaledThrough: (fleet: LocalFleet): ScalingTarget => this.behindHpa(fleet),
    onEvaluated: (report: EvaluationReport, at: EpochSeconds) => this.board.record(report, at),
  };

  async start(): Promise<void> {
    this.server = await serveKeda(this.board, { port: 0, host: '127.0.0.1', streamSeconds: 1, log: this.log });
    this.client = kedaClient(`127.0.0.1:${this.server.port}`);
    const ref = { name: this.target.name, namespace: 'local', scalerMetadata: { target: this.target.name } };
    const spec = { minReplicas: this.target.minCapacity, maxReplicas: this.target.maxCapacity, tolerance: 0.1, behavior: SHIPPED_BEHAVIOR };
    // Said when it is done: the metric it acted on came at the end of the sync.
    const synced = (sync: HpaSync) => this.onSync?.({ ...sync, at: this.clock.now() });
    const hpa = new LocalHpa(this.client, ref, spec, this.fleet, synced, (error) => this.log.warn('the HPA could not read the metric; it holds', { error }));
    const loop = () => {
      this.running = hpa.sync(this.clock.now()).finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(loop, this.clock.realMs(HPA_SYNC_SECONDS));
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.client?.close();
    await this.server?.close();
  }

  /** The fleet as the controller scales it through the HPA: what it asked is its desired size until the HPA applies it. */
  private behindHpa(fleet: LocalFleet): ScalingTarget {
    return {
      kind: fleet.kind,
      describe: async () => ({ ...(await fleet.describe()), desired: this.asked ?? fleet.desiredCapacity() }),
      setDesired: async (replicas) => {
        this.asked = replicas;
      },
      protectBusiest: (keep, loads) => fleet.protectBusiest(keep, loads),
      releaseProtection: (units) => fleet.releaseProtection(units),
    };
  }
}

