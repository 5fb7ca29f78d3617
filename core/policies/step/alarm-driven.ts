import type { AlarmDefinition } from '../../alarm';
import type { PolicyInputs } from '../policy';

/**
 * What both step policy types share as policies: the CloudWatch alarm drives them, and they remember no
 * recommendations and no rate-limited changes (their cooldown or warm-up is their own state transition).
 */
export const alarmDriven = {
  inputs: (policy: { readonly alarm?: AlarmDefinition | undefined }): PolicyInputs => ({ alarm: { definition: policy.alarm } }),
  historySeconds: () => 0,
  rateLimitSeconds: () => 0,
};
