import { describe, expect, it } from 'vitest';
import { LagWatch, lagWarning } from './lag-watch';

function watched(feed: (watch: LagWatch) => void): string[] {
  const warnings: string[] = [];
  feed(new LagWatch(500, (w) => warnings.push(w)));
  return warnings;
}

describe('a run watched for this machine falling behind', () => {
  it.each([
    { case: 'load that keeps up as a spike rises', seconds: [[400, 390], [757, 582], [800, 700], [800, 800]], warned: 0 },
    { case: 'load behind for a moment, then caught up', seconds: [[800, 300], [800, 300], [800, 300], [800, 780]], warned: 0 },
    { case: 'too few clients to judge', seconds: Array.from({ length: 20 }, () => [10, 0]), warned: 0 },
    { case: 'load behind for three seconds', seconds: [[659, 62], [908, 105], [1596, 226], [2315, 263]], warned: 1 },
    { case: 'load behind for long: told once', seconds: Array.from({ length: 60 }, () => [800, 263]), warned: 1 },
  ])('$case: $warned warning(s)', ({ seconds, warned }) => {
    const warnings = watched((w) => seconds.forEach(([wanted, open], i) => w.load(wanted!, open!, i * 1000)));
    expect(warnings).toHaveLength(warned);
    if (warned > 0) expect(warnings[0]).toMatch(/^this machine is not keeping up at 500x: 263 of the (2315|800) clients the trace asks for are connected, and have been under 50% for 3 s; run again slower \(--speed\)$/);
  });

  it('says once when launched nodes are late, and not while none are', () => {
    const warnings = watched((w) => [0, 0, 2, 3, 0, 1].forEach((late) => w.nodes(late)));
    expect(warnings).toEqual(["this machine is not keeping up at 500x: 2 node(s) are still not ready 30 s (simulated) after their start-up; ready nodes lag desired for the machine's sake, not the controller's; run again slower (--speed)"]);
  });
});

describe('a run this machine could not keep up with, after it', () => {
  it.each([
    { peak: 796, warned: false },
    { peak: 640, warned: false },
    { peak: 187, warned: true },
  ])('reaching $peak of 800 connections: warned $warned', ({ peak, warned }) => {
    expect(lagWarning({ peakReached: peak, peakConnections: 800, speed: 2000 })).toBe(
      warned ? `this machine did not keep up at 2000x: the load reached ${peak} of the trace's 800 connections at its peak (${Math.round((100 * peak) / 800)}%); run again slower (--speed)` : undefined,
    );
  });
});
