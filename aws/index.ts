// The AWS room: the adapters behind the controller's seams (CloudWatch, DynamoDB), the Lambda wiring
// (middy, Powertools) and the runtime that builds them once per container.
export * from './cloudwatch-alarms';
export * from './cloudwatch-connections';
export * from './cloudwatch-forecast';
export * from './connections-metric';
export * from './deployment';
export * from './dynamo-state-store';
export * from './lambda-handler';
export * from './metric-sources';
export * from './observability';
export * from './runtime';
export * from './unit-loads';
