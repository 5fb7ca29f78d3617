import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createLogger, createMetrics, recordOutcomes, type Outcomes } from './observability';
import type { DecisionLog } from '../controller';

/**
 * Every handler's Lambda entry point, written once: the middy wiring, the structured logger with the
 * Lambda context, and the outcome reported as CloudWatch metrics. `run` does the work and returns what
 * it did; `outcomes` says which decisions, forecasts and failures that was.
 */
export function lambdaHandler<R>(run: (event: unknown, log: DecisionLog, context: Context) => Promise<R>, outcomes: (result: R) => Outcomes = () => ({})) {
  const logger = createLogger();
  const metrics = createMetrics();
  return middy(async (event: unknown, context: Context) => {
    const result = await run(event, logger, context);
    recordOutcomes(metrics, outcomes(result));
    return result;
  }).use(injectLambdaContext(logger));
}
