// The simulation room: the trace model, the simulator, the simulated target and forecast, the policy under
// test and the tuner. Pure, like core/: the daily re-tuning runs it in production, and the lab builds on it.
export { Cluster } from './cluster';
export { connectionsOnlyProblems, deployedController, engineController, firingAlarms, type DecisionListener, type ObservationExtras, type TargetSource } from './engine-controller';
export { MetricsAccumulator, type ElasticityMetrics } from './metrics';
export { oracle } from './oracle';
export { OURS, ours, recommendedPolicies, type OursOptions, type OursSettings } from './ours';
export { METRIC_BETWEEN_SAMPLES, runOptions, simulate, type MetricBetweenSamples, type RunSettings, type SimulationOptions, type SimulationResult } from './simulate';
export { FORECAST_REFRESH_SECONDS, simulatedForecast, type ForecastCache, type ScheduleSource } from './simulated-forecast';
export { simulatedTarget, type CapacityLimits } from './simulated-target';
export { syntheticTrace } from './synthetic-trace';
export { StepRows, type StepRow } from './step-rows';
export { gapSeconds, GAP_SAMPLES, medianSpacing, parseTimestamp, parseTraceCsv, sampleTrace, sampleTraceUntil, scaleToMean, sliceTrace, TraceCursor, type Trace } from './trace';
export { HEADROOMS, maxCandidates, MIN_TUNING_DAYS, recommendedTarget, shortfall, tunedPolicies, tuneOurs, tuneTarget, tuningUnits, withinBudget, type CandidateScore, type TuneOptions, type TuneResult } from './tune';
export { perUnitAverages, type Controller, type MetricHistory, type PolicyView } from './view';
