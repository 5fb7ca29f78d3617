import { RETUNING, type EpochSeconds } from '../core';
import type { DecisionLog } from './evaluate';
import { scheduledEvent } from './events/own-events';
import { REFRESH_SECONDS, runForecastRefresh } from './on-forecast-refresh';
import { runRetune } from './on-retune';
import { runScheduled, type EvaluationReport } from './on-schedule';
import { forecastReaders } from './predictive';
import { tunedTargets } from './retune';
import type { Runtime } from './runtime';

/**
 * The schedule EventBridge keeps for the Lambda controller, kept by a controller that runs as a process of
 * its own (local mode, scaler keda): an evaluation every `everySeconds`, the forecast refresh every hour
 * for a target with a forecast, and the re-tuning every day for a target with an objective. Each is the
 * handler Lambda runs, sent the event it would get. A failure is logged, never thrown.
 */
export class OwnSchedule {
  private lastSlot = -Infinity;
  private lastRefresh = -Infinity;
  private lastRetune = -Infinity;

  constructor(
    private readonly runtime: Runtime,
    private readonly log: DecisionLog,
    private readonly everySeconds: number,
    /** Told what each evaluation decided. */
    private readonly onEvaluated?: (report: EvaluationReport, at: EpochSeconds) => void,
  ) {}

  /** The next evaluation comes at the next slot after `now` (as in AWS, where the schedule starts after the metric does). */
  restart(now: EpochSeconds): void {
    this.lastSlot = Math.floor(now / this.everySeconds);
  }

  /** Everything due at `now`: the evaluation of a new slot, the hourly refresh, the daily re-tuning. */
  async due(now: EpochSeconds): Promise<void> {
    const slot = Math.floor(now / this.everySeconds);
    if (slot > this.lastSlot) {
      this.lastSlot = slot;
      await this.send('scheduled evaluation', async () => {
        const report = await runScheduled(scheduledEvent('scaler-evaluate', now, this.runtime.home), this.runtime, this.log);
        this.onEvaluated?.(report, now);
      });
    }
    const predictive = this.runtime.config.targets.some((t) => forecastReaders(t).length > 0);
    if (predictive && now - this.lastRefresh >= REFRESH_SECONDS) {
      this.lastRefresh = now;
      await this.send('forecast refresh', () => runForecastRefresh(scheduledEvent('scaler-forecast', now, this.runtime.home), this.runtime, this.log));
    }
    if (now - this.lastRetune >= RETUNING.everySeconds) await this.retune(now);
  }

  /** The daily re-tuning, now, for the targets with an objective; the next is due a day later. */
  async retune(now: EpochSeconds): Promise<void> {
    if (tunedTargets(this.runtime.config.targets).length === 0) return;
    this.lastRetune = now;
    await this.send('re-tuning', () => runRetune(scheduledEvent('scaler-retune', now, this.runtime.home), this.runtime, this.log));
  }

  private async send(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.log.error(`${what} failed`, { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
