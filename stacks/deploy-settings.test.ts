import { describe, expect, it } from 'vitest';
import { ALERT_EMAIL_ENV, alertEmails } from './deploy-settings';

describe('the alert e-mail addresses', () => {
  it.each([
    { value: undefined, expected: [] },
    { value: '', expected: [] },
    { value: 'ops@example.com', expected: ['ops@example.com'] },
    { value: ' ops@example.com , oncall@example.org ,ops@example.com', expected: ['ops@example.com', 'oncall@example.org'] },
  ])('$value gives $expected', ({ value, expected }) => {
    expect(alertEmails(value === undefined ? {} : { [ALERT_EMAIL_ENV]: value })).toEqual(expected);
  });

  it.each(['ops', 'ops@example', 'ops@example.com;dev@example.com', 'a@b.c,'])('refuses %j in one line, naming the variable', (value) => {
    expect(() => alertEmails({ [ALERT_EMAIL_ENV]: value })).toThrow(new RegExp(`^${ALERT_EMAIL_ENV} must list e-mail addresses separated by commas, received `));
  });
});
