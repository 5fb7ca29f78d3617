// The backtest lab: the simulator, the baselines, the metrics, the report, the sweep, the replay and the
// recommended settings. It drives the production engine through core's index, never past it.
export { BACKTEST_DEFAULTS } from './defaults';
export { compareToCurves, curveChecks, GAP_SHARE_BAR, type CurveCheck } from './curves';
export { checkDominance, type DominanceCheck, verdictSentence } from './dominance';
export { previewForecast, type ForecastPreview, type ForecastRow } from './forecast-preview';
export { OURS, recommendedPolicies, type OursSettings } from './policies/ours';
export { simulatedTarget } from './policies/simulated-target';
export { connectionsOnlyProblems, replayTarget, sliceTrace, type ReplayOptions } from './replay';
export { formatTable, rowsToCsv, summaryJson, writeRowsCsv, type FrontierPoint } from './report';
export { renderHtml } from './report-html';
export { defaultBacktestOptions, POLICY_NAMES, runBacktest, type BacktestOptions, type PolicyName, type PolicyResult } from './run';
export { METRIC_BETWEEN_SAMPLES, type MetricBetweenSamples } from './simulate';
export { frontierToCsv, SWEEP_HEADROOMS, sweepHeadroom } from './sweep';
export { recommendedTarget, tunedPolicies, tuneOurs, tuneTarget, tuningUnits, type CandidateScore, type TuneResult } from './tune';
export { gapSeconds, medianSpacing, parseTimestamp, parseTraceCsv, sampleTrace, sampleTraceUntil, scaleToMean, TraceCursor, type Trace } from './trace';
