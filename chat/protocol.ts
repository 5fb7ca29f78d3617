import { z } from 'zod';

/**
 * The socket.io events between browser (or load generator) and node.
 *
 * client → node: `join` {room, name, since?}, `message` {room, text, id?}, `leave` {room}; each may
 * carry an ack callback, answered with {ok: true, ...} or {ok: false, error}.
 * node → client: `message` ChatMessage, `presence` {room, joined|left}, `drain` {reconnectInMs},
 * `resync` {rejoinInMs},
 * `chat:error` {event, code, message} whenever a request is refused.
 */
export interface ChatMessage {
  /** Unique per message; a client retrying a send reuses it, and receivers drop repeats. */
  readonly id: string;
  readonly room: string;
  readonly name: string;
  readonly text: string;
  /** Server time of acceptance, epoch milliseconds. */
  readonly at: number;
}

export interface Member {
  readonly id: string;
  readonly name: string;
}

export interface PresenceEvent {
  readonly room: string;
  readonly joined?: Member;
  readonly left?: Member;
}

export interface DrainNotice {
  /** Reconnect after this long; spread over the drain window so the fleet sees no herd. */
  readonly reconnectInMs: number;
}

/**
 * The node got Redis back after losing it. Messages published by other nodes meanwhile never reached
 * it (Redis pub/sub keeps nothing), so its clients rejoin with `since`, at spread moments, and read them
 * from the history.
 */
export interface ResyncNotice {
  readonly rejoinInMs: number;
}

export type ErrorCode = 'invalid_payload' | 'too_large' | 'rate_limited' | 'not_joined' | 'unknown_event' | 'unavailable';

export interface ChatErrorBody {
  readonly event: string;
  readonly code: ErrorCode;
  readonly message: string;
  /** With `rate_limited`: the request may be made again after this many milliseconds. */
  readonly retryInMs?: number;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ChatErrorBody };

export interface JoinReply {
  readonly room: string;
  readonly members: Member[];
  readonly history: ChatMessage[];
}

export interface SendReply {
  readonly id: string;
  /** True when Redis was unreachable: delivered on this node now, stored and sent to the fleet on recovery. */
  readonly queued: boolean;
}

const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const room = z.string().regex(ROOM_PATTERN, 'must be 1-64 letters, digits, - or _');
const messageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** Control characters a message may not hold: all but the newline and the tab a person types. */
// eslint-disable-next-line no-control-regex
const TEXT_CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Characters that reorder the text around them (U+202E and the rest): a name could disguise itself. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** What renders as nothing: format characters (zero-width ones among them), separators, marks alone. */
const INVISIBLE = /[\p{Cf}\p{Z}\p{M}\s]/gu;

export function payloadSchemas(limits: { maxNameLength: number }) {
  return {
    join: z.strictObject({
      room,
      name: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(limits.maxNameLength, `must be at most ${limits.maxNameLength} characters`)
        .refine((n) => !CONTROL_CHARACTERS.test(n), 'must not contain control characters')
        .refine((n) => !BIDI_CONTROLS.test(n), 'must not contain characters that reverse the text around them')
        .refine((n) => n.replace(INVISIBLE, '') !== '', 'must contain a visible character'),
      /** Epoch ms of the newest message already seen: a rejoin gets what it missed instead of the last N. */
      since: z.number().int().nonnegative().optional(),
    }),
    // The text's size is checked apart, in bytes, so an oversized message gets its own error code.
    message: z.strictObject({
      room,
      text: z.string().refine((t) => !TEXT_CONTROL_CHARACTERS.test(t), 'must not contain control characters (a newline or a tab is fine)'),
      id: messageId.optional(),
    }),
    leave: z.strictObject({ room }),
  };
}

export type ChatPayloads = ReturnType<typeof payloadSchemas>;

export interface ServerToClientEvents {
  message: (message: ChatMessage) => void;
  presence: (event: PresenceEvent) => void;
  drain: (notice: DrainNotice) => void;
  resync: (notice: ResyncNotice) => void;
  'chat:error': (error: ChatErrorBody) => void;
}

/** Payloads arrive unchecked; the handlers validate them. */
export interface ClientToServerEvents {
  join: (...args: unknown[]) => void;
  message: (...args: unknown[]) => void;
  leave: (...args: unknown[]) => void;
}
