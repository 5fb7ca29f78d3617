import { runRetune } from '../controller';
import { lambdaHandler, runtime } from '../aws';

export const handler = lambdaHandler(
  (event, log, context) => runRetune(event, runtime(context), log),
  (report) => ({ failures: report.failed }),
);
