// The backtest lab, on the top floor: the baselines, the report, the sweep, the curves, the replay and the
// forecast preview. It runs the simulation room (sim/) and drives the engine through core's index.
export { BACKTEST_DEFAULTS } from './defaults';
export { compareToCurves, curveChecks, GAP_SHARE_BAR, type CurveCheck } from './curves';
export { checkDominance, type DominanceCheck, verdictSentence } from './dominance';
export { previewForecast, type ForecastPreview, type ForecastRow } from './forecast-preview';
export { replayTarget, type ReplayOptions } from './replay';
export { formatTable, rowsToCsv, summaryJson, writeRowsCsv } from './report';
export { renderHtml } from './report-html';
export { defaultBacktestOptions, POLICY_NAMES, runBacktest, type BacktestOptions, type PolicyName, type PolicyResult } from './run';
export { frontierToCsv, SWEEP_HEADROOMS, sweepHeadroom, type FrontierPoint } from './sweep';
export { describeYardstick, yardstick, yardstickAt, yardstickBeside, type Yardstick, type YardstickRun } from './yardstick';
