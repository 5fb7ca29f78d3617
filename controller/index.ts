// The controller: what answers each event (an alarm, the minute's schedule, the hourly forecast refresh, the
// daily re-tuning), fetch → decide → apply through the seams, the deployable configuration and its errors.
// The AWS room (aws/) and local mode (local/) each plug their own seams in; both come through this door.
export * from './config';
export * from './errors';
export * from './evaluate';
export * from './events/guard';
export * from './events/alarm-reason';
export * from './events/schemas';
export * from './events/own-events';
export * from './in-memory';
export * from './on-alarm';
export * from './on-forecast-refresh';
export * from './on-retune';
export * from './on-schedule';
export * from './own-schedule';
export * from './per-target';
export * from './predictive';
export * from './retune';
export * from './runtime';
export * from './seams/in-memory-metrics';
export * from './seams/in-memory-state-store';
export * from './seams/in-memory-target';
export * from './seams/metric-source';
export * from './seams/scaling-target';
export * from './seams/state-store';
export * from './tuning';
