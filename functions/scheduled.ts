import { runScheduled } from '../controller';
import { lambdaHandler, runtime } from '../aws';

export const handler = lambdaHandler(
  (event, log, context) => runScheduled(event, runtime(context), log),
  (report) => ({ decisions: report.evaluated, failures: report.failed }),
);
