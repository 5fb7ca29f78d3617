// The AWS room: the DynamoDB state store behind the controller's seams (the metrics come from metric-sources/), the Lambda wiring
// (middy, Powertools) and the runtime that builds them once per container.
export * from './deployment';
export * from './dynamo-state-store';
export * from './lambda-handler';
export * from './observability';
export * from './runtime';
