import { quote, ScalerError } from '../core';

/** The environment variable that names an ACM certificate for the chat's domain, at deploy time. */
export const CERTIFICATE_ENV = 'CHAT_CERTIFICATE_ARN';
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;

/**
 * The certificate the load balancer serves HTTPS with, when CHAT_CERTIFICATE_ARN names one: the chat is
 * then on 443, and port 80 only redirects to it. Without one the chat is plain HTTP on port 80.
 */
export function chatCertificateArn(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const arn = env[CERTIFICATE_ENV];
  if (arn === undefined || arn === '') return undefined;
  if (!ACM_ARN.test(arn)) throw new ScalerError(`${CERTIFICATE_ENV} must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), received ${quote(JSON.stringify(arn))}`);
  return arn;
}

/** The environment variable that names who is told when the controller fails: e-mail addresses, comma-separated. */
export const ALERT_EMAIL_ENV = 'SCALER_ALERT_EMAIL';
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

/**
 * The addresses subscribed to the controller's alerts (failed events, function errors, throttles), when
 * SCALER_ALERT_EMAIL names any; each confirms its subscription from the e-mail SNS sends. Without one the
 * topic still receives every alert, for whatever you subscribe to it yourself.
 */
export function alertEmails(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = env[ALERT_EMAIL_ENV]?.trim();
  if (value === undefined || value === '') return [];
  const emails = value.split(',').map((e) => e.trim());
  const bad = emails.filter((e) => !EMAIL.test(e));
  if (bad.length > 0) throw new ScalerError(`${ALERT_EMAIL_ENV} must list e-mail addresses separated by commas, received ${quote(JSON.stringify(bad.join(',')))}`);
  return [...new Set(emails)];
}
