import type { Trace } from '../sim';
import { defaultLocalTarget } from './target';

export const START = Date.UTC(2026, 10, 22, 10) / 1000;
/**
 * Forty minutes: quiet, then a rise to ten times the load over ten minutes (new nodes get a share of the
 * newcomers), a plateau, and a fall back to quiet.
 */
export function spikeTrace(): Trace {
  const times: number[] = [];
  const values: number[] = [];
  // A quiet day before it: the metric's history, on which the forecast refresh fits.
  for (let m = -24 * 60; m < 0; m += 5) {
    times.push(START + m * 60);
    values.push(1);
  }
  for (let m = 0; m <= 40; m++) {
    times.push(START + m * 60);
    values.push(m < 5 ? 1 : m < 15 ? 1 + (m - 5) * 0.9 : m < 22 ? 10 : m < 26 ? 3 : 1);
  }
  return { times, values };
}

/** The spike, forty simulated minutes in forty real seconds, on up to six nodes of 60 connections. */
export const spikeRun = () => ({
  trace: spikeTrace(),
  traceName: 'spike',
  from: START,
  hours: 40 / 60,
  speed: 60,
  peakConnections: 300,
  target: defaultLocalTarget({ perNode: 60, maxNodes: 6, startupSeconds: 60 }),
  messagesPerSecond: 5,
  dashboardPort: 0,
});
