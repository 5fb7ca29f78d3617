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
