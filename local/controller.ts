import { alarmsOf, RETUNING, type ControllerConfig, type EpochSeconds } from '../core';
import { type ControllerDeps, type DecisionLog, runAlarm, REFRESH_SECONDS, runForecastRefresh, runRetune, tunedTargets, runScheduled, InMemoryMetrics, forecastReaders, type Runtime, InMemoryStateStore } from '../controller';
import { PUBLISH_SECONDS } from '../contract/connections';
import type { SimulatedClock } from './clock';
import { alarmStateChange, scheduledEvent } from './events';
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
  private lastMinute: number;
  private lastRefresh = -Infinity;
  private lastRetune = -Infinity;
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
  ) {
    const deps: ControllerDeps = {
      targets: (target) => {
        const fleet = fleets.get(target.name);
        if (fleet === undefined) throw new Error(`no local fleet for target ${target.name}`);
        return fleet;
      },
      ...this.metrics.seams(),
      state: new InMemoryStateStore(),
    };
    this.runtime = { config, deps, clock: () => clock.now(), home: LOCAL_HOME };
    this.lastMinute = Math.floor(clock.now() / EVALUATION_SECONDS);
  }

  /** One pass: sample, alarms, and the scheduled events that are due. Failures are logged, never thrown. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    await this.sample(now);
    await this.evaluateAlarms(now);
    const minute = Math.floor(now / EVALUATION_SECONDS);
    if (minute > this.lastMinute) {
      this.lastMinute = minute;
      await this.send('scheduled evaluation', () => runScheduled(scheduledEvent('scaler-evaluate', now, LOCAL_HOME), this.runtime, this.log));
    }
    const predictive = this.config.targets.some((t) => forecastReaders(t).length > 0);
    if (predictive && now - this.lastRefresh >= REFRESH_SECONDS) {
      this.lastRefresh = now;
      await this.send('forecast refresh', () => runForecastRefresh(scheduledEvent('scaler-forecast', now, LOCAL_HOME), this.runtime, this.log));
    }
    if (now - this.lastRetune >= RETUNING.everySeconds) await this.retune();
  }

  /** The daily re-tuning, now, for the targets with an objective; the next is due a day later. */
  async retune(): Promise<void> {
    if (tunedTargets(this.config.targets).length === 0) return;
    const now = this.clock.now();
    this.lastRetune = now;
    await this.send('re-tuning', () => runRetune(scheduledEvent('scaler-retune', now, LOCAL_HOME), this.runtime, this.log));
  }

  /** Ticks every publish interval of simulated time until stopped. */
  start(): void {
    // The first evaluation comes at the next minute, with a minute of samples behind it (as in AWS, where
    // the schedule starts after the metric does).
    this.lastMinute = Math.floor(this.clock.now() / EVALUATION_SECONDS);
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
