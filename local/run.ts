import { describeObjective, InvalidInputError, parseControllerConfig, type EpochSeconds, type TargetConfig, type TunedSettings } from '../core';
import { TraceCursor, type Trace } from '../sim';
import { runLoad, type LoadReport } from '../chat/load/load-generator';
import { traceProfile } from '../chat/load/profile';
import type { DecisionLog } from '../controller';
import { LocalBalancer } from './balancer';
import { drainTimings } from '../contract/drain';
import { SimulatedClock } from './clock';
import { LocalController } from './controller';
import { Dashboard, type DashboardDecision } from './dashboard';
import { LocalFleet, type FleetEvent } from './fleet';
import { LocalKedaFace, type HpaSync } from './keda-face';
import { LagWatch, lagWarning, LATE_NODE_GRACE_SECONDS } from './lag-watch';
import { connectionsPerNode } from './target';

export interface LocalRunOptions {
  readonly trace: Trace;
  readonly traceName: string;
  /** The window of the trace to play: from this time, for `hours`. */
  readonly from: EpochSeconds;
  readonly hours: number;
  /** Simulated seconds per real second. */
  readonly speed: number;
  /** The window is scaled so that its highest sample is this many clients. */
  readonly peakConnections: number;
  /**
   * The target the controller scales, on the local fleet (see `onLocalFleet`): a node serves its
   * `warmupSeconds` after launch, and the fleet starts all of its `maxCapacity` nodes warm.
   */
  readonly target: TargetConfig;
  /** Connections each client counts for in the metric the nodes publish (1 by default). */
  readonly connectionsPerClient?: number;
  readonly messagesPerSecond: number;
  /** The nodes' Redis; without one they share through this process (nothing to install). */
  readonly redisUrl?: string;
  readonly dashboardPort: number;
  readonly onStarted?: (urls: { dashboard: string; chat: string }) => void;
  readonly onDecision?: (decision: DashboardDecision) => void;
  readonly onProgress?: (simulatedAt: EpochSeconds, fraction: number) => void;
  readonly onFleetEvent?: (event: FleetEvent) => void;
  /** Told, once for each kind, when this machine falls behind the trace while the run goes on. */
  readonly onLag?: (warning: string) => void;
  /** Told what each daily re-tuning of a target with an objective chose, as one line. */
  readonly onTuning?: (line: string) => void;
  readonly signal?: AbortSignal;
  /**
   * How decisions reach the fleet: as the Lambda controller applies them (the default), or through the
   * KEDA face, the scaler's real gRPC server, with an HPA stand-in applying what it reports.
   */
  readonly via?: 'lambda' | 'keda';
  /** Told of every HPA sync that changes the fleet, through the KEDA face. */
  readonly onHpa?: (sync: HpaSync) => void;
  /** Awaited after the fleet has stopped and before the dashboard closes: to keep it up for a look. */
  readonly beforeDashboardCloses?: (report: LocalRunReport) => Promise<void>;
}

export interface LocalRunReport {
  readonly load: LoadReport;
  readonly decisions: readonly DashboardDecision[];
  readonly peakReady: number;
  readonly refusedByBalancer: number;
  /** Connections still open on a node when its deregistration delay ended, closed by the balancer. */
  readonly cutByBalancer: number;
  /** Every chat process the run started. */
  readonly pids: readonly number[];
  /** Said when the load never came near the trace's peak: the machine did not keep up (see lagWarning). */
  readonly lagWarning?: string;
}

/** The window of the trace, scaled so that its peak is `peakConnections`, and the factor that does it. */
export function traceWindow(trace: Trace, from: EpochSeconds, hours: number, peakConnections: number): Trace & { scale: number } {
  const until = from + hours * 3600;
  const inside = trace.times.map((t, i) => [t, trace.values[i]!] as const).filter(([t]) => t >= from && t <= until);
  if (inside.length < 2) {
    const span = trace.times.length === 0 ? 'it has none' : `it runs from ${new Date(trace.times[0]! * 1000).toISOString()} to ${new Date(trace.times.at(-1)! * 1000).toISOString()}`;
    throw new InvalidInputError(`the trace has fewer than 2 samples between ${new Date(from * 1000).toISOString()} and ${hours} h later (${span}): choose --from inside it`);
  }
  const peak = Math.max(...inside.map(([, v]) => v));
  const scale = peak > 0 ? peakConnections / peak : 0;
  return { times: inside.map(([t]) => t), values: inside.map(([, v]) => v * scale), scale };
}

/** Up to 14 days of the trace before the window, a point a minute, as if the chat had published them. */
function historyBefore(trace: Trace, from: EpochSeconds, scale: number): Array<[EpochSeconds, number]> {
  const cursor = new TraceCursor(trace);
  const start = Math.max(trace.times[0]!, from - 14 * 86_400);
  const points: Array<[EpochSeconds, number]> = [];
  for (let t = Math.ceil(start / 60) * 60; t < from; t += 60) points.push([t, cursor.valueAt(t) * scale]);
  return points;
}

/**
 * Local mode: a fleet of real chat nodes behind a local balancer, real socket.io clients following the
 * trace window at `speed`, and the controller scaling the fleet through the Lambda handlers on the same
 * simulated clock, all on the live dashboard. Everything it starts is stopped before it returns.
 */
export async function runLocalMode(options: LocalRunOptions): Promise<LocalRunReport> {
  const { target } = options;
  const weight = options.connectionsPerClient ?? 1;
  const window = traceWindow(options.trace, options.from, options.hours, options.peakConnections);
  const clock = new SimulatedClock(window.times[0]!, options.speed);
  const config = parseControllerConfig({ targets: [target] });
  const perNode = connectionsPerNode(target);
  const decisions: DashboardDecision[] = [];
  const dashboard = new Dashboard();
  const fleet = new LocalFleet({
    name: target.name,
    ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    clock,
    startupSeconds: target.warmupSeconds,
    // The load clients are ours, all from 127.0.0.1, a few sending for many while the load is low: the
    // per-socket and per-address limits are for the internet, not for this.
    nodeArgs: ['--rate-limit-events', '1000000', '--address-rate-limit-events', '1000000'],
    // A short drain window keeps a scale-in within seconds; the delay and the notice follow from it.
    drain: drainTimings(3),
    ...(options.onFleetEvent === undefined ? {} : { onEvent: options.onFleetEvent }),
  });
  const log: DecisionLog = {
    info: (message, ...extra) => {
      if (message.startsWith('tuning')) options.onTuning?.(tuningLine(message, Object.assign({}, ...extra) as TuningFigures));
      if (message !== 'capacity changed' && message !== 'decision') return;
      const f = Object.assign({}, ...extra) as { target: string; current: number; desired: number; reason: string; decisionMessage: string };
      const decision = { at: clock.now(), target: f.target, current: f.current, desired: f.desired, reason: f.reason, message: f.decisionMessage, applied: message === 'capacity changed' };
      decisions.push(decision);
      dashboard.decision(decision);
      options.onDecision?.(decision);
    },
    warn: () => undefined,
    error: (message, ...extra) => options.onDecision?.({ at: clock.now(), target: target.name, current: NaN, desired: NaN, reason: 'Error', message: `${message} ${JSON.stringify(Object.assign({}, ...extra))}`, applied: false }),
  };
  const lag = new LagWatch(options.speed, (warning) => {
    dashboard.warning(warning);
    options.onLag?.(warning);
  });
  let peakReady = 0;
  const keda: LocalKedaFace | undefined =
    options.via === 'keda'
      ? new LocalKedaFace(config, target, fleet, clock, async (t) => (await controller.metrics.latest(t, clock.now())) > 0, log, (sync) => {
          if (sync.desired !== sync.current) options.onHpa?.(sync);
        })
      : undefined;
  const controller: LocalController = new LocalController(config, new Map([[target.name, fleet]]), clock, log, weight, (_target, at, byUnit) => {
    const ready = fleet.readyUnits().length;
    peakReady = Math.max(peakReady, ready);
    lag.nodes(fleet.lateUnits(LATE_NODE_GRACE_SECONDS));
    const forecast = controller.metrics.forecasts.get(target.name)?.at(-1);
    const step = forecast === undefined ? -1 : Math.floor((at - forecast.start) / forecast.stepSeconds);
    dashboard.sample({
      at,
      connections: [...byUnit.values()].reduce((sum, c) => sum + c, 0),
      ready,
      desired: fleet.desiredCapacity(),
      forecast: forecast?.point[step] ?? null,
      upper: forecast?.upper[step] ?? null,
    });
  }, keda?.hooks);
  for (const [t, value] of historyBefore(options.trace, window.times[0]!, window.scale * weight)) controller.metrics.record(target.name, 'history', value, t);
  const balancer = new LocalBalancer(() => fleet.readyUnits());
  fleet.behind(balancer);
  try {
    const dashboardUrl = await dashboard.listen(options.dashboardPort);
    dashboard.describe({
      target: target.name,
      trace: options.traceName,
      window: `${new Date(window.times[0]! * 1000).toISOString().slice(0, 16)}Z + ${+options.hours.toFixed(2)} h`,
      speed: `${options.speed}x`,
      nodes: `${target.minCapacity}-${target.maxCapacity}`,
      ...(perNode === undefined ? {} : { 'per node': perNode }),
      ...(weight === 1 ? {} : { 'per client': `${weight} connections` }),
      'start-up': `${target.warmupSeconds} s`,
      ...(keda === undefined ? {} : { via: 'KEDA external scaler (gRPC) + HPA' }),
      ...(target.objective === undefined ? {} : { objective: describeObjective(target.objective) }),
    });
    // The daily re-tuning the deployed controller would have run before the window, on the same history.
    await controller.retune();
    // Every node the run may need is started before the clock runs: a launch takes a warm one, so a
    // unit serves exactly the simulated start-up after it, however slowly processes start on this machine.
    await fleet.warmUp(target.maxCapacity);
    clock.restart();
    await fleet.setDesired(initialNodes(target, (window.values[0]! * weight) / (perNode ?? Infinity)));
    await waitFor(() => fleet.readyUnits().length > 0 || options.signal?.aborted === true, 30_000 + clock.realMs(target.warmupSeconds), 'the first chat node to be ready');
    const chatUrl = await balancer.listen();
    options.onStarted?.({ dashboard: dashboardUrl, chat: chatUrl });
    await keda?.start();
    controller.start();
    const durationSeconds = (options.hours * 3600) / options.speed;
    const load = await runLoad({
      urls: [chatUrl],
      profile: traceProfile(window, options.speed),
      durationSeconds,
      messagesPerSecond: options.messagesPerSecond,
      rooms: 20,
      observeRooms: true,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onSecond: (s) => {
        lag.load(s.target, s.open, Date.now());
        options.onProgress?.(clock.now(), s.elapsedSeconds / durationSeconds);
      },
    });
    await controller.stop();
    await keda?.stop();
    await balancer.close();
    await fleet.stop();
    const warning = lagWarning({ peakReached: load.connections.peak, peakConnections: options.peakConnections, speed: options.speed });
    const report = { load, decisions, peakReady, refusedByBalancer: balancer.refused, cutByBalancer: balancer.cut, pids: fleet.pids, ...(warning === undefined ? {} : { lagWarning: warning }) };
    dashboard.finished({ decisions: decisions.length, peakReady, ...(warning === undefined ? {} : { warning }) });
    await options.beforeDashboardCloses?.(report);
    return report;
  } finally {
    await controller.stop();
    await keda?.stop();
    await balancer.close();
    await fleet.stop();
    await dashboard.close();
  }
}

/** The nodes the window's first sample needs, within the target's limits: a deployed fleet would be there already. */
function initialNodes(target: TargetConfig, needed: number): number {
  return Math.min(target.maxCapacity, Math.max(1, target.minCapacity, Math.ceil(needed)));
}

/** What the re-tuning logs (functions/retune.ts): its figures, or how much history it lacked. */
interface TuningFigures {
  readonly target: string;
  readonly met?: boolean;
  readonly applied?: TunedSettings;
  readonly heldOut?: { readonly underTimeShare: number; readonly costRatio: number; readonly actionsPerDay: number };
  readonly days?: number;
  readonly needed?: number;
}

function tuningLine(message: string, f: TuningFigures): string {
  if (f.applied === undefined || f.heldOut === undefined) return `${f.target}: ${message} (${f.days} days of history, ${f.needed} needed)`;
  const { headroom, scaleInThresholdPercent, scaleInStabilizationSeconds, holdSeconds } = f.applied;
  const settings = `headroom ${headroom}, scale-in threshold ${scaleInThresholdPercent}%, scale-in window ${scaleInStabilizationSeconds} s, hold ${holdSeconds} s`;
  const checked = `on the held-out day τU ${f.heldOut.underTimeShare.toFixed(2)}%, ${f.heldOut.costRatio.toFixed(2)}x the oracle, ${f.heldOut.actionsPerDay.toFixed(0)} changes`;
  return `${f.target}: ${message}${f.met === false ? ' (the objective was not met; the closest settings)' : ''}: ${settings}; ${checked}`;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
