import { DEFAULT_FIT_OPTIONS, fitForecastModel, predictPoints, unitsFor } from '../../core';
import { BACKTEST_DEFAULTS } from '../defaults';
import type { Controller, MetricHistory } from '../../sim';
import { awsTargetTracking, type BaselineLimits } from './aws-target-tracking';

const HOUR = 3600;

/**
 * AWS predictive scaling with target tracking: a forecast of hourly mean load (from up to 14 days, once
 * 24 hours exist), refreshed every 6 hours, sets a capacity floor for each hour that is applied a
 * scheduling buffer early and never scales in; target tracking handles the rest, and the higher wins.
 */
export function awsPredictive(limits: BaselineLimits, o: { stepSeconds: number }, d = BACKTEST_DEFAULTS.awsPredictive): Controller {
  const tracking = awsTargetTracking(limits);
  let hourly: { start: number; units: number[] } | undefined;
  let refreshedAt = -Infinity;

  return {
    periodSeconds: tracking.periodSeconds,
    decide(view) {
      if (view.now - refreshedAt >= d.refreshSeconds) {
        const means = hourlyMeans(view.history, d.maxHistorySeconds, o.stepSeconds);
        if (means.times.length * HOUR >= d.minHistorySeconds) {
          const model = fitForecastModel(means.times, means.values, { ...DEFAULT_FIT_OPTIONS, stepSeconds: HOUR, scoreHorizonSeconds: HOUR, horizonSeconds: HOUR });
          const point = predictPoints(model, { times: means.times, values: means.values, visible: means.times.length }, 48);
          hourly = { start: means.times[means.times.length - 1]! + HOUR, units: Array.from(point, (p) => unitsFor(p, limits.targetPerUnit)) };
          refreshedAt = view.now;
        }
      }
      const reactive = tracking.decide(view);
      if (hourly === undefined) return reactive;
      const hour = Math.floor((view.now + d.schedulingBufferSeconds - hourly.start) / HOUR);
      const floor = hour >= 0 && hour < hourly.units.length ? hourly.units[hour]! : 0;
      return Math.min(limits.maxCapacity, Math.max(reactive, floor, limits.minCapacity));
    },
  };
}

/** Means of the visible connections over whole clock hours, oldest first, at most `maxSeconds` back. */
function hourlyMeans(history: MetricHistory, maxSeconds: number, stepSeconds: number): { times: number[]; values: number[] } {
  const times: number[] = [];
  const values: number[] = [];
  const last = history.visible - 1;
  if (last < 0) return { times, values };
  const end = Math.floor((history.times[last]! + stepSeconds) / HOUR) * HOUR;
  const begin = Math.max(Math.ceil(history.times[0]! / HOUR) * HOUR, end - maxSeconds);
  let sum = 0;
  let count = 0;
  let bucket = begin;
  for (let i = 0; i <= last; i++) {
    const t = history.times[i]!;
    if (t < begin || t >= end) continue;
    const hour = Math.floor(t / HOUR) * HOUR;
    if (hour !== bucket) {
      times.push(bucket);
      values.push(count > 0 ? sum / count : NaN);
      for (bucket += HOUR; bucket < hour; bucket += HOUR) {
        times.push(bucket);
        values.push(NaN);
      }
      sum = 0;
      count = 0;
    }
    // A gap's missing datapoints do not count toward the hour's mean.
    const value = history.connections[i]!;
    if (Number.isFinite(value)) {
      sum += value;
      count++;
    }
  }
  if (count > 0) {
    times.push(bucket);
    values.push(sum / count);
  }
  return { times, values };
}
