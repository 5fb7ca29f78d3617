export { decide, type DecideInput } from './engine';
export type { Decision, Proposal, ReasonCode } from './decision';
export type { Observation, AlarmObservation, MetricDatapoint } from './observation';
export { emptyState, targetStateSchema, type TargetState } from './state';
export type { EpochSeconds } from './time';
export { ConfigError, InvalidInputError, ScalerError, type ConfigProblem } from './errors';
export {
  controllerConfigSchema,
  parseControllerConfig,
  parseTargetConfig,
  policySchema,
  targetSchema,
  POLICY_TYPES,
  isStepPolicy,
  type ControllerConfig,
  type PolicyConfig,
  type StepPolicyConfig,
  type TargetConfig,
} from './config/target';
export { formatPath, parseOrThrow } from './config/parse';
export { roundAdjustment, adjustCapacity } from './step/adjustment';
export { findStep, stepIntervalProblems } from './step/intervals';
export { boundCapacity } from './bounds';
export { observationSchema } from './observation-schema';
export { alarmNameOf, alarmSchema, evaluateAlarm, type AlarmDefinition } from './alarm';
export { parseTraceCsv, scaleToMean, TraceCursor, type Trace } from './trace';
export { replayTarget, sliceTrace, type ReplayOptions } from './backtest/replay';
export { fitForecastModel, DEFAULT_FIT_OPTIONS, type FitOptions } from './forecast/fit';
export { forecastFrom, predictPoints, trackingSteps, type Observed } from './forecast/predict';
export { describeCandidate, describeTracking, FOLLOW_LATEST, type ForecastModel, type Forecast } from './forecast/model';
export { capacitySchedule, forecastFitOptions, scheduleFromModel, type CapacitySchedule } from './predictive/schedule';
export type { PredictivePolicy } from './predictive/schema';
