import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';

describe('Cluster', () => {
  it('bills a unit from launch and counts it ready only after start-up', () => {
    const cluster = new Cluster(60);
    cluster.scaleTo(3, 100);
    expect([cluster.running, cluster.ready(100), cluster.ready(159), cluster.ready(160)]).toEqual([3, 0, 0, 3]);
  });

  it('removes the youngest units first, so pending launches go before serving units', () => {
    const cluster = new Cluster(60);
    cluster.scaleTo(2, 0);
    cluster.scaleTo(5, 100);
    cluster.scaleTo(3, 120);
    expect([cluster.running, cluster.ready(150)]).toEqual([3, 2]);
  });

  it('can start with a fleet that is already serving', () => {
    const cluster = new Cluster(60);
    cluster.scaleTo(4, 1000, 940);
    expect(cluster.ready(1000)).toBe(4);
  });
});
