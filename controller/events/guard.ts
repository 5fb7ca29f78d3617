import type { z } from 'zod';
import { formatProblem, quote, tryParse, type EpochSeconds } from '../../core';
import { EventError } from '../errors';

/** How far in the future an event may be dated: clocks differ a little, never by minutes. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/**
 * How old an event may be. An older one answers a question a newer evaluation has already answered (the
 * scheduled evaluation runs every minute), so it is refused rather than acted on late.
 */
export const MAX_EVENT_AGE_SECONDS = 900;

/** The account and region the controller runs in, from its Lambda's own ARN. */
export interface Home {
  readonly account: string;
  readonly region: string;
}

/** The service, region and account of `arn:<partition>:<service>:<region>:<account>:<resource>`, or undefined. */
export function arnParts(arn: string | undefined): { service: string; region: string; account: string } | undefined {
  const [prefix, , service, region, account] = (arn ?? '').split(':');
  return prefix === 'arn' && service && region && account ? { service, region, account } : undefined;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>`, as `context.invokedFunctionArn` gives it. */
export function homeOf(invokedFunctionArn: string): Home {
  const parts = arnParts(invokedFunctionArn);
  if (parts?.service !== 'lambda') throw new EventError(`cannot tell this function's account and region from ${quote(JSON.stringify(invokedFunctionArn))}`);
  return { account: parts.account, region: parts.region };
}

/** Keys that reach an object's prototype when merged: an event that carries one is refused outright. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper than any event AWS sends: an event nested further is refused rather than walked. */
const MAX_DEPTH = 32;

function prototypeKeyIn(value: unknown, path: string, depth: number): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return `${path} (nested deeper than ${MAX_DEPTH})`;
  for (const key of Object.keys(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (PROTOTYPE_KEYS.has(key)) return at;
    const found = prototypeKeyIn((value as Record<string, unknown>)[key], at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** EventBridge's own limit on an event (and SNS's on a message): anything larger did not come from AWS. */
export const MAX_EVENT_BYTES = 256 * 1024;

function eventBytes(event: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(event) ?? '', 'utf8');
  } catch {
    return Infinity;
  }
}

/** Parses an event, or throws an EventError that lists every problem, values quoted short. */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown, subject: string): z.output<S> {
  const bytes = eventBytes(event);
  if (bytes > MAX_EVENT_BYTES) throw new EventError(`Invalid ${subject}: ${Number.isFinite(bytes) ? `${bytes} bytes` : 'not serializable as JSON'}, over the ${MAX_EVENT_BYTES} bytes an AWS event can be; refused`);
  const polluting = prototypeKeyIn(event, '', 0);
  if (polluting !== undefined) throw new EventError(`Invalid ${subject}: it carries the key ${quote(JSON.stringify(polluting))}, which no AWS event has; refused`);
  const result = tryParse(schema, event);
  if (result.ok) return result.data;
  throw new EventError(`Invalid ${subject}: ${result.problems.length} problem(s)\n${result.problems.map(formatProblem).join('\n')}`);
}

/** Refuses an event sent from another account or region: nothing there is ours to scale. */
export function checkOrigin(origin: { readonly account: string; readonly region: string }, home: Home, subject: string): void {
  if (origin.account !== home.account || origin.region !== home.region) {
    throw new EventError(
      `${subject} comes from account ${quote(JSON.stringify(origin.account))} in ${quote(JSON.stringify(origin.region))}; this controller runs in account ${home.account} in ${home.region} and acts on nothing else`,
    );
  }
}

/** Refuses an event dated too far in the future (which would freeze deduplication) or too long ago. */
export function checkEventTime(eventAt: EpochSeconds, now: EpochSeconds, subject: string): void {
  const when = new Date(eventAt * 1000).toISOString();
  if (eventAt > now + MAX_CLOCK_SKEW_SECONDS) {
    throw new EventError(`${subject} is dated ${when}, more than ${MAX_CLOCK_SKEW_SECONDS} s ahead of this controller's clock (${new Date(now * 1000).toISOString()}); refused`);
  }
  if (eventAt < now - MAX_EVENT_AGE_SECONDS) {
    throw new EventError(`${subject} is dated ${when}, more than ${MAX_EVENT_AGE_SECONDS} s before this controller's clock (${new Date(now * 1000).toISOString()}); a newer evaluation has taken its place`);
  }
}

/** The times a handler works with: the controller's own clock, and the event's, which only orders. */
export interface EventTimes {
  readonly now: EpochSeconds;
  readonly eventAt: EpochSeconds;
}

/**
 * An EventBridge event checked as every handler checks one: its shape, that it comes from this
 * controller's account and region, and that its time is neither in the future nor stale.
 */
export function acceptEvent<S extends z.ZodType<{ account: string; region: string; time: string }>>(
  schema: S,
  event: unknown,
  subject: string,
  rt: { readonly home: Home; readonly clock: () => EpochSeconds },
): z.output<S> & EventTimes {
  const parsed = parseEvent(schema, event, subject);
  checkOrigin(parsed, rt.home, subject);
  const times = { now: rt.clock(), eventAt: Date.parse(parsed.time) / 1000 };
  checkEventTime(times.eventAt, times.now, subject);
  return { ...parsed, ...times };
}
