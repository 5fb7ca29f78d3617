import { runForecastRefresh } from '../controller';
import { lambdaHandler, runtime } from '../aws';

export const handler = lambdaHandler(
  (event, log, context) => runForecastRefresh(event, runtime(context), log),
  (report) => ({ forecasts: report.refreshed, failures: report.failed }),
);
