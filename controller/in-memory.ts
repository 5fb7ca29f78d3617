import { ConfigError, type TargetConfig } from '../core';
import type { ControllerDeps } from './evaluate';
import { InMemoryMetrics } from './seams/in-memory-metrics';
import { InMemoryStateStore } from './seams/in-memory-state-store';
import type { InMemoryTarget } from './seams/in-memory-target';

/** Every seam in this process's memory, for tests and for running the controller on one machine. */
export function inMemoryDeps(targets: ReadonlyMap<string, InMemoryTarget>): ControllerDeps & { memory: InMemoryMetrics; state: InMemoryStateStore } {
  const metrics = new InMemoryMetrics();
  return {
    targets: (target: TargetConfig) => {
      const found = targets.get(target.name);
      if (found === undefined) throw new ConfigError(`target ${target.name}`, [{ path: 'name', message: `no in-memory target of that name; known: ${[...targets.keys()].join(', ')}`, received: target.name }]);
      return found;
    },
    ...metrics.seams(),
    memory: metrics,
    state: new InMemoryStateStore(),
  };
}
