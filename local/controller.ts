import { alarmsOf, type ControllerConfig, type EpochSeconds } from '../core';
import { alarmStateChange, type ControllerDeps, type DecisionLog, runAlarm, InMemoryMetrics, type Runtime, InMemoryStateStore, OwnSchedule, type ScalingTarget } from '../controller';
import { PUBLISH_SECONDS } from '../contract/connections';
import type { SimulatedClock } from './clock';
import type { LocalFleet } from './fleet';

/** Where local mode says its events come from: an account and region of its own. */
export const LOCAL_HOME = { account: '000000000000', region: 'lo-local-1' } as const;
const EVALUATION_SECONDS = 60;

/**
 * The controller on one machine: the same handlers Lambda runs, fed the events AWS would send, on the
 * simulated clock. Every publish interval it samples each node's connections into the in-memory metric
 * source (as the nodes' PutMetricData would), evaluates the step policies' alarms as CloudWatch does and
 * sends a state change when one flips; every minute it sends the scheduled event, every hour the
 * forecast refresh's, and every day the re-tuning's for a target with an objective.
 */
export class LocalController {
  readonly metrics = new InMemoryMetrics();
  readonly runtime: Runtime;
  private readonly alarmStates = new Map<string, 'OK' | 'ALARM'>();
  private readonly schedule: OwnSchedule;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: ControllerConfig,
    private readonly fleets: ReadonlyMap<string, LocalFleet>,
    private readonly clock: SimulatedClock,
    private readonly log: DecisionLog,
    /** Connections each client counts for in the metric: the nodes' counts times this. */
    private readonly connectionsPerClient = 1,
    /** Told of every sample: a target's open connections per node at `at`. */
    private readonly onSample?: (target: string, at: EpochSeconds, byUnit: ReadonlyMap<string, number>) => void,
    hooks: {
      /** What the controller scales a fleet through (the fleet itself by default; the KEDA face puts an HPA between). */
      readonly scaledThrough?: (fleet: LocalFleet) => ScalingTarget;
      readonly onEvaluated?: ConstructorParameters<typeof OwnSchedule>[3];
    } = {},
  ) {
    const deps: ControllerDeps = {
      targets: (target) => {
        const fleet = fleets.get(target.name);
        if (fleet === undefined) throw new Error(`no local fleet for target ${target.name}`);
        return hooks.scaledThrough?.(fleet) ?? fleet;
      },
      ...this.metrics.seams(),
      state: new InMemoryStateStore(),
    };
    this.runtime = { config, deps, clock: () => clock.now(), home: LOCAL_HOME };
    this.schedule = new OwnSchedule(this.runtime, log, EVALUATION_SECONDS, hooks.onEvaluated);
    this.schedule.restart(clock.now());
  }

  /** One pass: sample, alarms, and the scheduled events that are due. Failures are logged, never thrown. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    await this.sample(now);
    await this.evaluateAlarms(now);
    await this.schedule.due(now);
  }

  /** The daily re-tuning, now, for the targets with an objective; the next is due a day later. */
  retune(): Promise<void> {
    return this.schedule.retune(this.clock.now());
  }

  /** Ticks every publish interval of simulated time until stopped. */
  start(): void {
    // The first evaluation comes at the next minute, with a minute of samples behind it (as in AWS, where
    // the schedule starts after the metric does).
    this.schedule.restart(this.clock.now());
    const loop = () => {
      this.running = this.tick().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(loop, this.clock.realMs(PUBLISH_SECONDS));
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async sample(now: EpochSeconds): Promise<void> {
    for (const target of this.config.targets) {
      const fleet = this.fleets.get(target.name);
      if (fleet === undefined) continue;
      const clients = await fleet.connectionsByUnit();
      const byUnit = new Map([...clients].map(([unit, n]) => [unit, n * this.connectionsPerClient]));
      for (const [unit, connections] of byUnit) this.metrics.record(target.name, unit, connections, now);
      this.onSample?.(target.name, now, byUnit);
    }
  }

  private async evaluateAlarms(now: EpochSeconds): Promise<void> {
    for (const target of this.config.targets) {
      for (const { name, definition } of alarmsOf(target)) {
        if (definition === undefined) continue;
        const observed = await this.metrics.evaluate(target, name, definition, now);
        const state = observed === undefined ? 'OK' : 'ALARM';
        if (state === (this.alarmStates.get(name) ?? 'OK')) continue;
        this.alarmStates.set(name, state);
        await this.send(`alarm ${name} ${state}`, () => runAlarm(alarmStateChange(name, state, observed, now, LOCAL_HOME), this.runtime, this.log));
      }
    }
  }

  private async send(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.log.error(`${what} failed`, { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
