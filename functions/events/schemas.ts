import { z } from 'zod';

const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO 8601 time');

/** EventBridge's envelope; AWS adds fields over time, so unknown ones are allowed, the ones we use are checked. */
const envelope = { version: z.string(), id: z.string().min(1), source: z.string(), account: z.string(), time: isoTime, region: z.string() };

export const scheduledEventSchema = z.looseObject({ ...envelope, 'detail-type': z.literal('Scheduled Event'), source: z.literal('aws.events') });

export const alarmStateChangeSchema = z.looseObject({
  ...envelope,
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  detail: z.looseObject({
    alarmName: z.string().min(1),
    state: z.looseObject({ value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']), reason: z.string().optional(), reasonData: z.string().optional(), timestamp: z.string().optional() }),
  }),
});

/** The JSON CloudWatch publishes to SNS when an alarm changes state. */
export const snsAlarmMessageSchema = z.looseObject({
  AlarmName: z.string().min(1),
  AWSAccountId: z.string().min(1).optional(),
  AlarmArn: z.string().min(1).optional(),
  NewStateValue: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  StateChangeTime: isoTime,
  Trigger: z.looseObject({ Threshold: z.number().optional() }).optional(),
});

export const snsEventSchema = z.looseObject({
  Records: z
    .array(z.looseObject({ EventSource: z.literal('aws:sns'), Sns: z.looseObject({ MessageId: z.string().min(1), TopicArn: z.string().min(1), Message: z.string(), Timestamp: isoTime }) }))
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
