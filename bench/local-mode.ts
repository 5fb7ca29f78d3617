import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseControllerConfig } from '../core';
import type { DecisionLog } from '../controller';
import { LocalBalancer } from '../local/balancer';
import { SimulatedClock } from '../local/clock';
import { LocalController } from '../local/controller';
import { LocalFleet } from '../local/fleet';

const SCALER_BIN = fileURLToPath(new URL('../bin/scaler.js', import.meta.url));
const quiet: DecisionLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface LocalOverhead {
  readonly nodes: number;
  readonly connections: number;
  readonly seconds: number;
  /** This process (the controller, its event sources, the balancer, the cluster store): share of one core. */
  readonly cpuPercent: number;
  readonly rssMiB: number;
  readonly heapMiB: number;
  /** Of that, the controller's ticks (sample, alarms, handlers), in ms per real second. */
  readonly tickMsPerSecond: number;
  readonly ticks: number;
}

/**
 * Local mode's own overhead with a fleet of `nodes` real chat nodes (cluster workers, no Redis) holding
 * `connections` clients, which a separate `scaler load` process opens, so their cost is not counted.
 * The controller runs at 60x with a fixed fleet size (min = max), so only its work is measured.
 */
export async function benchLocalOverhead(nodes = 10, connections = 5000, seconds = 20): Promise<LocalOverhead> {
  const clock = new SimulatedClock(Date.UTC(2026, 10, 22) / 1000, 60);
  const fleet = new LocalFleet({ name: 'bench', clock, startupSeconds: 0, nodeArgs: ['--address-rate-limit-events', '1000000'] });
  const balancer = new LocalBalancer(() => fleet.readyUnits());
  const config = parseControllerConfig({
    targets: [{ name: 'bench', kind: 'local-fleet', minCapacity: nodes, maxCapacity: nodes, policies: [{ type: 'target-tracking', name: 'connections', targetPerUnit: 1000 }] }],
  });
  let tickMs = 0;
  let ticks = 0;
  const controller = new LocalController(config, new Map([['bench', fleet]]), clock, quiet);
  const tick = controller.tick.bind(controller);
  controller.tick = async () => {
    const t = performance.now();
    await tick();
    tickMs += performance.now() - t;
    ticks++;
  };
  try {
    await fleet.setDesired(nodes);
    while (fleet.readyUnits().length < nodes) await new Promise((resolve) => setTimeout(resolve, 200));
    const url = await balancer.listen();
    const clients = spawn(process.execPath, [SCALER_BIN, 'load', '--url', url, '--connections', String(connections), '--ramp', '15', '--duration', String(seconds + 60), '--rate', '20', '--rooms', '50'], { stdio: 'ignore' });
    try {
      const deadline = Date.now() + 90_000;
      const open = async () => [...(await fleet.connectionsByUnit()).values()].reduce((sum, c) => sum + c, 0);
      while ((await open()) < connections * 0.98 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
      controller.start();
      await new Promise((resolve) => setTimeout(resolve, 3000)); // past the first ticks
      tickMs = 0;
      ticks = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const used = process.cpuUsage(cpu);
      const elapsed = (performance.now() - started) / 1000;
      const memory = process.memoryUsage();
      const held = await open();
      return {
        nodes,
        connections: held,
        seconds: elapsed,
        cpuPercent: ((used.user + used.system) / 1e6 / elapsed) * 100,
        rssMiB: memory.rss / 2 ** 20,
        heapMiB: memory.heapUsed / 2 ** 20,
        tickMsPerSecond: tickMs / elapsed,
        ticks,
      };
    } finally {
      clients.kill();
    }
  } finally {
    await controller.stop();
    await balancer.close();
    await fleet.stop();
  }
}
