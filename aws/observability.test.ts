import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordDecision, recordFailure, recordForecast } from './observability';

/** The EMF records Powertools writes to stdout, parsed. */
function captureEmf(run: (metrics: Metrics) => void): Array<Record<string, unknown>> {
  let written = '';
  // Powertools writes EMF through its own Console on process.stdout.
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
  try {
    run(new Metrics({ namespace: 'Scaler', serviceName: 'scaler' }));
  } finally {
    spy.mockRestore();
  }
  return written
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('decision metrics (EMF)', () => {
  it('records desired capacity, the change and the reason per target', () => {
    const records = captureEmf((m) => recordDecision(m, { target: 'chat', current: 4, desired: 8, reason: 'StepScaleOut', applied: true }));
    expect(records.map((r) => [r.DesiredCapacity ?? r.CapacityChange ?? r.Decisions, r.TargetName, r.Reason])).toEqual([
      [8, 'chat', undefined],
      [4, 'chat', undefined],
      [1, 'chat', 'StepScaleOut'],
    ]);
    expect(records[0]!._aws).toMatchObject({ CloudWatchMetrics: [{ Namespace: 'Scaler', Metrics: [{ Name: 'DesiredCapacity', Unit: 'Count' }] }] });
  });

  it('records failures and the next minute of a forecast', () => {
    const records = captureEmf((m) => {
      recordFailure(m, 'chat');
      recordForecast(m, 'chat', 12_345);
    });
    expect(records.map((r) => [r.EvaluationFailures ?? r.ForecastConnections, r.TargetName])).toEqual([
      [1, 'chat'],
      [12_345, 'chat'],
    ]);
  });
});
