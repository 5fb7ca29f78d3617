import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { describeCandidate, describeTracking, type PredictivePolicy, type TargetConfig } from '../../core';
import { parseKnownKinds } from '../../kinds';
import { type ForecastPreview, type ForecastRow, previewForecast } from '../../backtest';
import { medianSpacing } from '../../sim';
import { CliInputError, isoMinute, loadTrace, parseNumberOption, parseTimeOption, projectRoot, readJson, TRACE_ARGUMENT } from '../io';
import { prepareOutFile } from '../output';
import { describeTrace, TRACE_LIMITS } from '../trace-notes';

interface ForecastCommandOptions {
  config: string;
  target?: string;
  mean?: number;
  step?: number;
  at?: number;
  hours: number;
  out?: string;
}

const HOUR = 3600;
/** The forecaster measures its band up to 48 hours ahead, as far as the refresh publishes. */
const MAX_HOURS = 48;

export function registerForecast(program: Command): void {
  program
    .command('forecast')
    .description("Fit a target's forecaster on a trace as the hourly refresh would, show the forecast and the units it schedules, and how it fared against what followed")
    .argument('<trace>', `${TRACE_ARGUMENT}: your connection history`)
    .option('-c, --config <file>', 'controller configuration (JSON) with a predictive policy', resolve(projectRoot, 'examples/recommended.json'))
    .option('-t, --target <name>', 'target whose predictive policy to use (default: the first that has one)')
    .option('--mean <connections>', 'scale the trace so its sample mean is this many connections (default: as it is)', parseNumberOption('--mean', { min: 1, max: TRACE_LIMITS.mean }))
    .option('--step <seconds>', "resolution to fit and forecast at (default: the trace's own)", parseNumberOption('--step', { min: 1, max: 3600, integer: true }))
    .option('--at <time>', 'forecast from this time, epoch seconds or ISO 8601 (default: the last sample)', parseTimeOption('--at'))
    .option('--hours <hours>', `how far to forecast (at most ${MAX_HOURS})`, parseNumberOption('--hours', { min: 0.1, max: MAX_HOURS }), MAX_HOURS)
    .option('--out <file>', 'write every step as CSV: time,point,upper,units,actual')
    .addHelpText(
      'after',
      `
The history is up to 14 days of the trace before --at (at least a day). point is the forecast and upper
its band at the policy's bandQuantile, each at its own horizon; units is what a scale-out provides for
that step if this forecast still holds one lead time before it (before the target's limits). With --at
before the end of the trace, the forecast is checked against what followed.`,
    )
    .action((tracePath: string, options: ForecastCommandOptions) => {
      const config = parseKnownKinds(readJson(options.config, 'configuration'));
      const { target, policy } = predictiveTarget(config.targets, options.target);
      const out = options.out === undefined ? undefined : prepareOutFile(options.out);
      const trace = loadTrace(tracePath, options.mean);
      const step = options.step ?? medianSpacing(trace);
      const at = options.at ?? trace.times[trace.times.length - 1]!;

      const preview = previewForecast(trace, policy, { stepSeconds: step, at, horizonSeconds: options.hours * HOUR });
      console.log(`${basename(tracePath)}: ${describeTrace(trace)}`);
      printPreview(basename(tracePath), target, policy, preview, step);
      if (out !== undefined) {
        writeFileSync(out, rowsToCsv(preview.rows));
        console.log(`\nwrote ${preview.rows.length} steps to ${options.out}`);
      }
    });
}

function predictiveTarget(targets: readonly TargetConfig[], name: string | undefined): { target: TargetConfig; policy: PredictivePolicy } {
  const withForecast = targets.filter((t) => t.policies.some((p) => p.type === 'predictive'));
  const target = name === undefined ? withForecast[0] : targets.find((t) => t.name === name);
  const policy = target?.policies.find((p): p is PredictivePolicy => p.type === 'predictive');
  if (target === undefined || policy === undefined) {
    const which = name === undefined ? 'no target' : `target ${JSON.stringify(name)}`;
    const known = withForecast.length > 0 ? `targets with one: ${withForecast.map((t) => t.name).join(', ')}` : 'none has one (examples/recommended.json does)';
    throw new CliInputError(`${which} in the configuration has a predictive policy; ${known}`);
  }
  return { target, policy };
}


function printPreview(name: string, target: TargetConfig, policy: PredictivePolicy, preview: ForecastPreview, step: number): void {
  const { model, history, rows, check } = preview;
  const days = (history.to - history.from) / 86_400;
  console.log(`${name}: fitted at ${step}s steps on ${history.points} points (${days.toFixed(1)} days, ${isoMinute(history.from)} to ${isoMinute(history.to)} UTC)`);
  console.log(`target ${target.name}, policy ${policy.name}: upper = point + the ${percent(policy.bandQuantile)} quantile of the measured error, ${policy.connectionsPerUnit} connections/unit`);
  if (model.sampleSteps > 1) {
    const every = `${(model.sampleSteps * step) / 60} min`;
    console.log(`the metric updates every ${every} and repeats or misses its value between: forecasts count from its latest update, and each step gets the band and the units of its next one`);
  }
  console.log(`model: ${describeCandidate(model)}, picked by error on the held-out last day:`);
  for (const s of [...model.scores].sort((a, b) => a.error - b.error)) {
    const label = (s.method === 'none' ? 'none' : `${s.method} ${s.smoothingSeconds > 0 ? `±${s.smoothingSeconds / 60} min` : 'unsmoothed'}`) + describeTracking(s.tracking);
    console.log(`  ${label.padEnd(50)} ${(100 * s.error).toFixed(1).padStart(6)}% of the mean`);
  }

  const known = rows.some((r) => r.actual !== undefined);
  console.log(`\nhour starting       point peak  upper peak  units peak${known ? '  actual peak' : ''}`);
  const perHour = Math.max(1, Math.round(HOUR / step));
  for (let from = 0; from < rows.length; from += perHour) {
    const hour = rows.slice(from, from + perHour);
    const peak = (pick: (r: ForecastRow) => number | undefined) => Math.max(...hour.map((r) => pick(r) ?? -Infinity));
    const actual = peak((r) => r.actual);
    const cells = [peak((r) => r.point), peak((r) => r.upper), peak((r) => r.units)].map((v) => Math.round(v).toLocaleString('en-US').padStart(11));
    console.log(`${isoMinute(hour[0]!.time)} ${cells.join(' ')}${Number.isFinite(actual) ? Math.round(actual).toLocaleString('en-US').padStart(13) : ''}`);
  }
  if (check !== undefined) {
    console.log(`\nagainst what followed (${check.steps} steps): mean absolute error ${(100 * check.meanAbsoluteError).toFixed(1)}% of the mean;`);
    console.log(`the actual was within the upper band ${(100 * check.bandCoverage).toFixed(1)}% of the time (the band aims at ${percent(policy.bandQuantile)})`);
  }
}

const percent = (fraction: number) => `${+(100 * fraction).toFixed(1)}%`;

function rowsToCsv(rows: readonly ForecastRow[]): string {
  const lines = ['time,point,upper,units,actual'];
  for (const r of rows) lines.push(`${r.time},${r.point.toFixed(2)},${r.upper.toFixed(2)},${r.units},${r.actual === undefined ? '' : r.actual.toFixed(2)}`);
  return `${lines.join('\n')}\n`;
}
