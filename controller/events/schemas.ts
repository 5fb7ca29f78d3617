import { z } from 'zod';

export const isoTime = z.string().max(40).refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO 8601 time');

/** A name or id AWS sends: never empty, never longer than AWS allows (255 for alarm and group names). */
export const awsName = z.string().min(1).max(255);

/**
 * EventBridge's envelope; AWS adds fields over time, so unknown ones are allowed, the ones we use are
 * checked, with the lengths AWS uses (an id is a UUID, an account 12 digits).
 */
export const envelope = {
  version: z.string().max(8),
  id: z.string().min(1).max(64),
  source: z.string().max(64),
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  time: isoTime,
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region'),
};

export const scheduledEventSchema = z.looseObject({ ...envelope, 'detail-type': z.literal('Scheduled Event'), source: z.literal('aws.events') });

export const alarmStateChangeSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  detail: z.looseObject({
    alarmName: awsName,
    state: z.looseObject({ value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']), reason: z.string().optional(), reasonData: z.string().optional(), timestamp: z.string().optional() }),
  }),
});

/** The JSON CloudWatch publishes to SNS when an alarm changes state. */
export const snsAlarmMessageSchema = z.looseObject({
  AlarmName: awsName,
  AWSAccountId: envelope.account.optional(),
  AlarmArn: z.string().max(1024).regex(/^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/, 'must be a CloudWatch alarm ARN').optional(),
  NewStateValue: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  StateChangeTime: isoTime,
  Trigger: z.looseObject({ Threshold: z.number().optional() }).optional(),
});

export const snsEventSchema = z.looseObject({
  Records: z
    .array(z.looseObject({ EventSource: z.literal('aws:sns'), Sns: z.looseObject({ MessageId: z.string().min(1).max(64), TopicArn: z.string().max(1024).regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, 'must be an SNS topic ARN'), Message: z.string().max(262_144), Timestamp: isoTime }) }))
    .min(1),
});

/** One alarm state change, whichever way it arrived. */
export interface AlarmChange {
  readonly id: string;
  /** Where the alarm lives: the event's account and region, or the SNS topic's and the alarm's own. */
  readonly account: string;
  readonly region: string;
  readonly alarmName: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** Epoch seconds of the change: the decision's `now`, the same for every delivery of this event. */
  readonly time: number;
  readonly reasonData?: string;
  readonly threshold?: number;
}
