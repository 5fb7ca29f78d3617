import { beforeAll, describe, expect, it } from 'vitest';
import { alive } from '../test-support/processes';
import type { HpaSync } from './keda-face';
import { runLocalMode, type LocalRunReport } from './run';
import { spikeRun } from './testing';

describe('local mode through the KEDA face: the scaler’s gRPC server, an HPA applying what it reports', () => {
  let report: LocalRunReport;
  const syncs: HpaSync[] = [];

  beforeAll(async () => {
    report = await runLocalMode({
      ...spikeRun(),
      via: 'keda',
      onHpa: (sync) => syncs.push(sync),
    });
  }, 600_000);

  it('scales the fleet out through the spike and back in, each change made by the HPA on what the scaler reported', () => {
    expect(syncs.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...syncs.map((s) => s.desired))).toBeGreaterThanOrEqual(4);
    expect(syncs.at(-1)!.desired).toBeLessThanOrEqual(2);
    const decided = report.decisions.filter((d) => d.applied);
    for (const sync of syncs) {
      // The HPA applies exactly what the scaler reports (target 1 a replica), for the reason it decided.
      expect(sync.desired).toBe(sync.metric);
      expect(decided).toContainEqual(expect.objectContaining({ desired: sync.metric, reason: sync.reason }));
    }
    expect(report.peakReady).toBeGreaterThanOrEqual(4);
  });

  it('refuses no client and loses no acknowledged message', () => {
    expect(report.refusedByBalancer).toBe(0);
    expect(report.cutByBalancer).toBe(0);
    expect(report.load.errors.connect).toBe(0);
    expect(report.load.messages.lostAcknowledged).toBe(0);
    expect(report.load.connections.moved).toBeGreaterThan(0);
  });

  it('leaves no chat process behind', () => {
    expect(report.pids.filter(alive)).toEqual([]);
  });
});
