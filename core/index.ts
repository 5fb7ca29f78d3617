// The scaling engine's public surface: everything outside core/ imports from here, never past it.
export { decide, type DecideInput } from './engine';
export type { Decision, Proposal, ReasonCode } from './decision';
export type { Observation, AlarmObservation, CapacitySchedule, MetricDatapoint } from './observation';
export { emptyState, targetStateSchema, type TargetState } from './state';
export type { EpochSeconds } from './time';
export { ConfigError, formatProblem, InvalidInputError, quote, ScalerError, type ConfigProblem } from './errors';
export {
  alarmOf,
  alarmsOf,
  controllerConfigSchema,
  describeObjective,
  objectiveSchema,
  parseControllerConfig,
  parseTargetConfig,
  targetSchema,
  targetSchemaFor,
  type ControllerConfig,
  type EngineTarget,
  type Objective,
  type PolicyConfig,
  type TargetConfig,
  type MetricSourceConfig,
} from './config/target';
export { formatPath, parseOrThrow, schemaProblems, tryParse } from './config/parse';
export { definePolicy, type AfterScaling, type Evaluation, type ForecastInput, type PolicyBase, type PolicyContext, type PolicyInputs, type ScalingPolicy } from './policies/policy';
export { POLICIES, PolicyRegistry, policyInputs } from './policies/registry';
export { observationSchema, parseObservation } from './observation-schema';
export { alarmNameOf, alarmSchema, evaluateAlarm, type AlarmDefinition } from './alarm';
export { fitForecastModel, DEFAULT_FIT_OPTIONS, type FitOptions } from './forecast/fit';
export { typedRange } from './forecast/typed';
export { forecastFrom, predictPoints, trackingSteps, type Observed } from './forecast/predict';
export { describeCandidate, describeTracking, type ForecastModel, type Forecast } from './forecast/model';
export {
  forecastFitOptions,
  scheduleBandSteps,
  scheduledUnits,
  scheduleFromModel,
} from './policies/predictive/schedule';
export type { PredictivePolicy } from './policies/predictive/schema';
export { unitsFor } from './units';
export { METRIC_LIMIT, PER_UNIT_RANGE, SECONDS_LIMIT, UNITS_LIMIT } from './config/fields';
export { applyTuning, configuredSettings, moveToward, RETUNING, tunedSettingsSchema, TUNING_STEP, type TunedSettings } from './tuning';
