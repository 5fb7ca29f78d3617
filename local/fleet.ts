import { spawn, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { serveChatCluster } from '../chat/cluster-backend';
import { type ScalingTarget, type TargetCapacity, busiest } from '../controller';
import { localFleet } from '../kinds';
import type { SimulatedClock } from './clock';
import { DRAIN_HEADER } from '../chat/http-routes';
import { drainTimings, type DrainTimings } from '../contract/drain';

const SCALER_BIN = fileURLToPath(new URL('../bin/scaler.js', import.meta.url));

export interface LocalFleetOptions {
  /** The controller target this fleet is: its nodes publish under this name. */
  readonly name: string;
  /**
   * The nodes' Redis, as in production. Without one, the nodes are workers of this process (a Node
   * cluster primary), which carries their room broadcasts and keeps their history: nothing to install.
   */
  readonly redisUrl?: string;
  readonly clock: SimulatedClock;
  /** Simulated seconds from launch until a node serves: about 60 for Fargate, 180 for EC2. */
  readonly startupSeconds: number;
  /** Extra `scaler chat` flags for every node. */
  readonly nodeArgs?: readonly string[];
  /**
   * How a node's stop is timed, as on AWS: deregistered first, told by its platform within the notice
   * interval, cut by the load balancer when the deregistration delay ends, then SIGTERM.
   */
  readonly drain?: DrainTimings;
  readonly onEvent?: (event: FleetEvent) => void;
}

export type FleetEvent =
  | { readonly type: 'launched' | 'ready' | 'draining' | 'exited'; readonly unit: string; readonly pid: number | undefined; readonly code?: number | null }
  | { readonly type: 'deregistered'; readonly unit: string; readonly pid: number | undefined; readonly cut: number };

/** What the fleet's load balancer does when a node's deregistration delay ends. */
export interface FleetBalancer {
  closeTarget(url: string): number;
}

interface Unit {
  readonly id: string;
  readonly child: ChildProcess;
  launchedAt: number;
  port: number | undefined;
  healthy: boolean;
  /** Settles once the process answers ready (or has exited). */
  readonly healthyAt: Promise<void>;
  draining: boolean;
  exited: Promise<void>;
}

/**
 * A ScalingTarget of real chat processes on this machine (`scaler chat`), for local mode: the same
 * interface the ECS and ASG adapters implement. A launched node serves once it is up and the simulated
 * start-up has passed; a scale-in drains nodes as ECS does (SIGTERM, the drain, exit), sparing the
 * busiest ones that `protectBusiest` named, as task protection does.
 */
export class LocalFleet implements ScalingTarget {
  readonly kind = localFleet.name;
  private desired = 0;
  private nextUnit = 0;
  private readonly units = new Map<string, Unit>();
  private readonly protectedUnits = new Set<string>();
  private stopped = false;
  private balancer: FleetBalancer | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly drain: DrainTimings;
  /** Started and healthy processes not yet in the fleet: a launch takes one, so start-up is the simulated delay alone. */
  private readonly pool: Unit[] = [];
  private poolSize = 0;

  constructor(private readonly options: LocalFleetOptions) {
    this.drain = options.drain ?? drainTimings();
  }

  /**
   * Keeps started, healthy processes aside, so that with the active units `size` are ready (the
   * fleet's maximum), and resolves once they are. A launch then takes one,
   * and the unit serves exactly the simulated start-up after its launch, however long a real process
   * takes to start on a busy machine; the pool refills in the background.
   */
  async warmUp(size: number): Promise<void> {
    this.poolSize = size;
    this.refill();
    await Promise.all(this.pool.map((u) => u.healthyAt));
  }

  /** The load balancer in front of this fleet, which closes a node's connections when its delay ends. */
  behind(balancer: FleetBalancer): void {
    this.balancer = balancer;
  }

  desiredCapacity(): number {
    return this.desired;
  }

  async describe(): Promise<TargetCapacity> {
    return { desired: this.desired, running: this.readyUnits().length };
  }

  async setDesired(desired: number): Promise<void> {
    this.desired = desired;
    this.reconcile();
  }

  /** Units serving now: up, past their start-up, not draining. */
  readyUnits(): Array<{ id: string; url: string }> {
    const now = this.options.clock.now();
    return [...this.units.values()]
      .filter((u) => u.healthy && !u.draining && u.port !== undefined && now - u.launchedAt >= this.options.startupSeconds)
      .map((u) => ({ id: u.id, url: `http://127.0.0.1:${u.port}` }));
  }

  /** Units launched more than their start-up and `graceSeconds` ago (simulated) that are still not healthy. */
  lateUnits(graceSeconds: number): number {
    const now = this.options.clock.now();
    return this.activeUnits().filter((u) => !u.healthy && now - u.launchedAt >= this.options.startupSeconds + graceSeconds).length;
  }

  /** Every process this fleet started, exited or not. */
  readonly pids: number[] = [];

  async protectBusiest(keep: number, loads: (units: readonly string[]) => Promise<ReadonlyMap<string, number>>): Promise<string[]> {
    const active = this.activeUnits().map((u) => u.id);
    const spared = busiest(await loads(active), keep);
    this.protectedUnits.clear();
    spared.forEach((u) => this.protectedUnits.add(u));
    return spared;
  }

  async releaseProtection(units: readonly string[]): Promise<void> {
    units.forEach((u) => this.protectedUnits.delete(u));
  }

  /** Each live node's open connections, from its own /stats. */
  async connectionsByUnit(): Promise<Map<string, number>> {
    const live = [...this.units.values()].filter((u) => u.port !== undefined && u.child.exitCode === null);
    const counts = await Promise.all(
      live.map(async (u) => {
        try {
          const stats = (await (await fetch(`http://127.0.0.1:${u.port}/stats`, { signal: AbortSignal.timeout(5000) })).json()) as { connections: number };
          return [u.id, stats.connections] as const;
        } catch {
          return undefined;
        }
      }),
    );
    return new Map(counts.filter((c) => c !== undefined));
  }

  /** Launches or drains nodes until as many are active as are desired; unprotected nodes drain first, newest first. */
  private reconcile(): void {
    if (this.stopped) return;
    while (this.activeUnits().length < this.desired) this.launch();
    while (this.activeUnits().length > this.desired) {
      const candidates = this.activeUnits().reverse();
      const victim = candidates.find((u) => !this.protectedUnits.has(u.id)) ?? candidates[0]!;
      this.drainUnit(victim);
    }
    this.refill();
  }

  private launch(): void {
    const unit = this.pool.shift() ?? this.spawnUnit();
    unit.launchedAt = this.options.clock.now();
    this.units.set(unit.id, unit);
    this.options.onEvent?.({ type: 'launched', unit: unit.id, pid: unit.child.pid });
    this.refill();
  }

  /** Tops the pool up so that, with the active units, `poolSize` processes are ready to serve. */
  private refill(): void {
    while (!this.stopped && this.pool.length + this.activeUnits().length < this.poolSize) this.pool.push(this.spawnUnit());
  }

  /** The units in the fleet that are not draining. */
  private activeUnits(): Unit[] {
    return [...this.units.values()].filter((u) => !u.draining);
  }

  private spawnUnit(): Unit {
    const id = `${this.options.name}-${this.nextUnit++}`;
    const child = this.start(id);
    let healthy!: () => void;
    const unit: Unit = {
      id,
      child,
      launchedAt: Infinity,
      port: undefined,
      healthy: false,
      healthyAt: new Promise((resolve) => (healthy = resolve)),
      draining: false,
      exited: new Promise((resolve) => child.once('exit', () => resolve())),
    };
    if (child.pid !== undefined) this.pids.push(child.pid);
    child.stderr!.resume();
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const port = /"message":"chat node listening"[^\n]*"port":(\d+)/.exec(chunk)?.[1];
      if (port !== undefined && unit.port === undefined) {
        unit.port = Number(port);
        void this.awaitHealthy(unit).then(healthy);
      }
    });
    child.once('exit', (code) => {
      healthy();
      const pooled = this.pool.indexOf(unit);
      if (pooled >= 0) this.pool.splice(pooled, 1);
      // A pooled process that died is replaced in the pool; it was never part of the fleet.
      if (unit.launchedAt === Infinity) return this.refill();
      this.units.delete(id);
      this.protectedUnits.delete(id);
      this.options.onEvent?.({ type: 'exited', unit: id, pid: child.pid, code });
      // A node that died unasked for is replaced, as a platform replaces a failed task.
      if (!unit.draining) this.reconcile();
    });
    return unit;
  }

  /** `scaler chat` as a process of its own on Redis, or as a cluster worker of this process without. */
  private start(id: string): ChildProcess {
    const timing = ['--drain-window', String(this.drain.drainWindowSeconds), '--stop-timeout', String(this.drain.stopTimeoutSeconds)];
    const args = ['chat', '--port', '0', '--host', '127.0.0.1', ...timing, ...(this.options.nodeArgs ?? [])];
    const env = { CHAT_UNIT_ID: id, CHAT_TARGET_KIND: this.kind, CHAT_TARGET_NAME: this.options.name, NODE_ENV: 'production' };
    if (this.options.redisUrl !== undefined) {
      return spawn(process.execPath, [SCALER_BIN, ...args], { env: { ...process.env, ...env, REDIS_URL: this.options.redisUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
    }
    serveChatCluster();
    cluster.setupPrimary({ exec: SCALER_BIN, args, silent: true });
    return cluster.fork({ ...env, CHAT_CLUSTER: 'on' }).process;
  }

  private async awaitHealthy(unit: Unit): Promise<void> {
    while (!unit.draining && unit.child.exitCode === null) {
      try {
        if ((await fetch(`http://127.0.0.1:${unit.port}/readyz`, { signal: AbortSignal.timeout(1000) })).ok) {
          unit.healthy = true;
          if (this.units.has(unit.id)) this.options.onEvent?.({ type: 'ready', unit: unit.id, pid: unit.child.pid });
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * A scale-in, as ECS and the ASG stop a unit behind an ALB: deregistered at once (no new connections),
   * the node told at the latest moment its notice allows, whatever is still open cut when the
   * deregistration delay ends, and only then SIGTERM.
   */
  private drainUnit(unit: Unit): void {
    unit.draining = true;
    this.options.onEvent?.({ type: 'draining', unit: unit.id, pid: unit.child.pid });
    if (unit.port === undefined || this.balancer === undefined) return void unit.child.kill('SIGTERM');
    const url = `http://127.0.0.1:${unit.port}`;
    const later = (seconds: number, act: () => void) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        act();
      }, seconds * 1000);
      this.timers.add(timer);
    };
    // The node's watch of its platform runs every notice interval, give or take a fifth.
    later(this.drain.noticeSeconds * 1.2, () => void fetch(`${url}/drain`, { method: 'POST', headers: { [DRAIN_HEADER]: 'now' } }).catch(() => undefined));
    later(this.drain.deregistrationDelaySeconds, () => {
      const cut = this.balancer!.closeTarget(url);
      this.options.onEvent?.({ type: 'deregistered', unit: unit.id, pid: unit.child.pid, cut });
      unit.child.kill('SIGTERM');
    });
  }

  /** Stops every node (drained, or killed after `graceMs`) and resolves once all have exited. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    const all = [...this.units.values(), ...this.pool.splice(0)];
    for (const unit of all) unit.child.kill('SIGTERM');
    const timer = setTimeout(() => all.forEach((u) => u.child.kill('SIGKILL')), graceMs);
    await Promise.all(all.map((u) => u.exited));
    clearTimeout(timer);
  }
}
