import { status } from '@grpc/grpc-js';
import type { ControllerConfig, EpochSeconds, TargetConfig } from '../core';
import type { EvaluationReport } from '../controller';
import type { ScaledObjectRef } from './proto';

/** What the scaler reports to the HPA for a target: the replicas its last decision wants, and why. */
export interface Reported {
  readonly replicas: number;
  readonly reason: string;
  readonly at: EpochSeconds;
}

/** A request the scaler cannot answer, with the gRPC status KEDA gets. */
export class KedaRefusal extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'KedaRefusal';
  }
}

/** A decision older than this many evaluations is not reported: the HPA keeps what it has meanwhile. */
const STALE_EVALUATIONS = 5;

/**
 * What the KEDA face answers from: each target's latest decision (the desired replicas, or in a dry run
 * the current ones, so that the HPA holds) and whether anyone is connected to it.
 */
export class DecisionBoard {
  private readonly latest = new Map<string, Reported>();

  constructor(
    private readonly config: ControllerConfig,
    /** Whether anyone is connected to the target now. */
    private readonly connected: (target: TargetConfig) => Promise<boolean>,
    private readonly clock: () => EpochSeconds,
    private readonly everySeconds: number,
  ) {}

  /** What an evaluation decided. */
  record(report: EvaluationReport, at: EpochSeconds): void {
    for (const e of report.evaluated) this.latest.set(e.target, { replicas: this.config.dryRun ? e.current : e.desired, reason: e.reason, at });
  }

  /** The target a ScaledObject's trigger names in its metadata (`target`), or a refusal that says what is configured. */
  target(ref: ScaledObjectRef): TargetConfig {
    const name = ref.scalerMetadata?.target;
    const names = this.config.targets.map((t) => t.name).join(', ');
    const so = `${ref.namespace || '?'}/${ref.name || '?'}`;
    if (name === undefined || name === '') throw new KedaRefusal(status.INVALID_ARGUMENT, `ScaledObject ${so}: the trigger's metadata must name a target (target: one of ${names})`);
    const target = this.config.targets.find((t) => t.name === name);
    if (target === undefined) throw new KedaRefusal(status.NOT_FOUND, `ScaledObject ${so}: no target ${JSON.stringify(name)}; configured: ${names}`);
    return target;
  }

  /** The target's latest decision, unless there is none yet or it is too old to act on. */
  reported(target: TargetConfig): Reported {
    const latest = this.latest.get(target.name);
    if (latest === undefined) throw new KedaRefusal(status.UNAVAILABLE, `no decision yet for target ${target.name}`);
    const age = this.clock() - latest.at;
    if (age > STALE_EVALUATIONS * this.everySeconds) throw new KedaRefusal(status.UNAVAILABLE, `the last decision for target ${target.name} is ${Math.round(age)} s old: its evaluations are failing (see the scaler's log)`);
    return latest;
  }

  async active(target: TargetConfig): Promise<boolean> {
    try {
      return await this.connected(target);
    } catch (error) {
      throw new KedaRefusal(status.UNAVAILABLE, `cannot read the connections of target ${target.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
