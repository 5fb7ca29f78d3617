import { runAlarm } from '../controller';
import { lambdaHandler, runtime } from '../aws';

export const handler = lambdaHandler(
  (event, log, context) => runAlarm(event, runtime(context), log),
  (outcome) => ('decision' in outcome ? { decisions: [{ target: outcome.target, ...outcome.decision, applied: outcome.applied }] } : {}),
);
