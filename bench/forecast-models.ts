import ARIMA from 'arima';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadTrace } from '../cli/io';
import { BACKTEST_DEFAULTS } from '../backtest';
import { medianSpacing, sampleTrace } from '../sim';
import { DEFAULT_FIT_OPTIONS, fitForecastModel, predictPoints } from '../core';
import { summarizeSamples } from '../chat/load/stats';

const DAY = 86_400;
/** Forecast origins: every 4 hours over the trace's last two days, each forecasting the next 24 hours. */
const ORIGIN_EVERY = 4 * 3600;
const SCORED_DAYS = 2;

export type Forecaster = (history: number[], times: number[], steps: number, stepSeconds: number) => number[];
/** One forecast per origin, and the time each fit took; or why the model could not be fitted. */
type Forecasts = { readonly forecasts: number[][]; readonly fitMs: number[] } | { readonly failed: string };

interface ModelScore {
  readonly model: string;
  /** Mean absolute error relative to the trace's mean: the next step, the first hour, the whole day. */
  readonly next?: number;
  readonly hour?: number;
  readonly day?: number;
  readonly fitMs?: number;
  readonly note?: string;
}

export interface ModelComparison {
  readonly path: string;
  readonly stepSeconds: number;
  readonly historySteps: number;
  readonly origins: number;
  readonly scores: readonly ModelScore[];
}

const ours: Forecaster = (history, times, steps, stepSeconds) => {
  const model = fitForecastModel(times, history, { ...DEFAULT_FIT_OPTIONS, quantile: 0.8, stepSeconds, scoreHorizonSeconds: stepSeconds, horizonSeconds: stepSeconds });
  return Array.from(predictPoints(model, { times, values: history, visible: history.length }, steps));
};

/** A forecaster that fits the `arima` package's model with these options afresh for each forecast. */
export function arima(options: ConstructorParameters<typeof ARIMA>[0]): Forecaster {
  return (history, _times, steps) => {
    const model = new ARIMA({ ...options, verbose: false }).train(history);
    try {
      return model.predict(steps)[0].map((v) => Math.max(0, v));
    } finally {
      model.destroy();
    }
  };
}

/**
 * Our forecaster against the `arima` package (AutoARIMA, and a seasonal ARIMA with a daily season), each
 * fitted at the trace's own resolution on up to 14 days before each origin and scored on the 24 hours
 * after it.
 */
export function compareForecastModels(tracePaths: readonly string[]): ModelComparison[] {
  return tracePaths.map((path) => {
    const trace = loadTrace(path, BACKTEST_DEFAULTS.mean);
    const stepSeconds = medianSpacing(trace);
    const { times, values } = sampleTrace(trace, stepSeconds, Math.floor((trace.times.at(-1)! - trace.times[0]!) / stepSeconds) + 1);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const daySteps = Math.round(DAY / stepSeconds);
    const maxHistory = Math.floor(DEFAULT_FIT_OPTIONS.maxHistorySeconds / stepSeconds);
    const origins: number[] = [];
    for (let o = values.length - SCORED_DAYS * daySteps - daySteps; o + daySteps <= values.length; o += Math.round(ORIGIN_EVERY / stepSeconds)) origins.push(o);

    const inProcess = (forecaster: Forecaster): Forecasts => {
      const forecasts: number[][] = [];
      const fitMs: number[] = [];
      for (const origin of origins) {
        const from = Math.max(0, origin - maxHistory);
        const start = performance.now();
        forecasts.push(forecaster(values.slice(from, origin), times.slice(from, origin), daySteps, stepSeconds));
        fitMs.push(performance.now() - start);
      }
      return { forecasts, fitMs };
    };
    const models: [string, () => Forecasts][] = [
      ['ours', () => inProcess(ours)],
      ['arima AutoARIMA', () => inProcess(arima({ auto: true }))],
      [`arima SARIMA(2,0,1)(1,1,0)[${daySteps}]`, () => inChildProcess({ options: { p: 2, d: 0, q: 1, P: 1, D: 1, Q: 0, s: daySteps }, values, origins, maxHistory, steps: daySteps })],
    ];
    const hourSteps = Math.max(1, Math.round(3600 / stepSeconds));
    const scores = models.map(([model, run]): ModelScore => {
      const result = run();
      if ('failed' in result) return { model, note: `failed: ${result.failed}` };
      const errors = result.forecasts.map((point, k) => point.map((p, h) => Math.abs(values[origins[k]! + h]! - p) / mean));
      return {
        model,
        next: average(errors.map((e) => e[0]!)),
        hour: average(errors.map((e) => average(e.slice(0, hourSteps)))),
        day: average(errors.map(average)),
        fitMs: summarizeSamples(Float64Array.from(result.fitMs)).p50,
      };
    });
    return { path, stepSeconds, historySteps: Math.min(maxHistory, origins[0]!), origins: origins.length, scores };
  });
}

/** An ARIMA fit at every origin, as arima-worker.ts runs it. */
export interface ArimaJob {
  readonly options: ConstructorParameters<typeof ARIMA>[0];
  readonly values: number[];
  readonly origins: number[];
  readonly maxHistory: number;
  readonly steps: number;
}

/** Runs the job in a child process, so that a crash inside the package's WASM build becomes a result. */
function inChildProcess(job: ArimaJob): Forecasts {
  const worker = fileURLToPath(new URL('./arima-worker.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', worker], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) {
    const reason = run.stderr.split('\n').find((line) => /Error/.test(line)) ?? `exit ${run.status ?? run.signal}`;
    return { failed: `${reason.trim()} (a ${job.options?.s ?? 0}-step season, in the package's WASM build)` };
  }
  return JSON.parse(run.stdout) as Forecasts;
}


const average = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
