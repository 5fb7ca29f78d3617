import type { Controller } from '../view';
import type { BaselineLimits } from './aws-target-tracking';
import { awsTargetTracking } from './aws-target-tracking';

// Placeholder while the forecaster is built: target tracking alone. Replaced below.
export function awsPredictive(limits: BaselineLimits, _o: { stepSeconds: number; startupSeconds: number }): Controller {
  return awsTargetTracking(limits);
}
