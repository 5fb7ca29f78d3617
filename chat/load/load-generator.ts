import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { summarizeSamples } from './stats';
import { ChatClient, ChatRequestError } from '../client';
import type { LoadProfile } from './profile';

export interface LoadOptions {
  /** Nodes; client i connects to urls[i mod n] first. */
  readonly urls: readonly string[];
  readonly profile: LoadProfile;
  readonly durationSeconds: number;
  /** Messages per second across all clients. */
  readonly messagesPerSecond: number;
  /** Clients are spread over this many rooms, so a message reaches about connections / rooms clients. */
  readonly rooms: number;
  /** Messages sent before this are delivered and counted, but left out of the latency figures. */
  readonly warmupSeconds?: number;
  /** Connection attempts in flight at once. */
  readonly connectConcurrency?: number;
  readonly onSecond?: (snapshot: LoadSnapshot) => void;
  /** Ends the run early, as if its duration were up. */
  readonly signal?: AbortSignal;
  /**
   * Keep one observer client in every room for the whole run, and count the acknowledged messages that
   * never reached it, live or in a rejoin's history: messages lost, however nodes came and went.
   */
  readonly observeRooms?: boolean;
}

export interface LoadSnapshot {
  readonly elapsedSeconds: number;
  readonly target: number;
  readonly open: number;
  readonly sent: number;
  readonly received: number;
  readonly errors: number;
}

export interface LatencySummary {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LoadReport {
  readonly durationSeconds: number;
  readonly connections: { readonly target: number; readonly open: number; readonly peak: number; readonly moved: number };
  readonly messages: {
    readonly sent: number;
    readonly accepted: number;
    readonly deliveries: number;
    readonly perSecond: number;
    /** With `observeRooms`: acknowledged messages their room's observer never got. */
    readonly lostAcknowledged?: number;
  };
  /** From send to receipt, per receiving client, in ms; split by whether the message crossed nodes. */
  readonly latencyMs: { readonly all: LatencySummary; readonly sameNode: LatencySummary; readonly crossNode: LatencySummary };
  readonly errors: { readonly connect: number; readonly send: number; readonly disconnects: number; readonly byCode: Record<string, number> };
}

interface Connection {
  readonly client: ChatClient;
  readonly room: string;
  /** Hung up by the generator, following the profile down. */
  closed: boolean;
}

const TICK_MS = 100;
const FORGET_AFTER_MS = 30_000;

/** Opens and closes real socket.io clients to follow a profile, sends at a fixed rate, and measures delivery. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const concurrency = options.connectConcurrency ?? 200;
  const connections: Connection[] = [];
  const sentAt = new Map<string, { t: number; url: string }>();
  const samples = { same: [] as number[], cross: [] as number[] };
  const counts = { sent: 0, accepted: 0, deliveries: 0, connectErrors: 0, sendErrors: 0, disconnects: 0, peak: 0, connecting: 0, moved: 0 };
  const byCode: Record<string, number> = {};
  let nextIndex = 0;

  const ready: Connection[] = [];
  const open = () => ready.length;
  const remove = (list: Connection[], c: Connection) => {
    const i = list.lastIndexOf(c);
    if (i >= 0) list.splice(i, 1);
  };

  function connectOne(): void {
    const index = nextIndex++;
    const urls = options.urls.map((_, k) => options.urls[(index + k) % options.urls.length]!);
    const client = new ChatClient({ urls, name: `load-${index}` });
    // Consecutive clients go to different nodes but the same room, so every room spans the nodes.
    const room = `load-${Math.floor(index / options.urls.length) % options.rooms}`;
    const connection: Connection = { client, room, closed: false };
    connections.push(connection);
    counts.connecting++;
    client.on('message', (m, { fromHistory }) => {
      if (fromHistory) return;
      counts.deliveries++;
      const origin = sentAt.get(m.id);
      if (origin === undefined) return;
      (origin.url === client.url ? samples.same : samples.cross).push(performance.now() - origin.t);
    });
    client.on('disconnected', (reason) => {
      if (reason !== 'io client disconnect') counts.disconnects++;
    });
    client.on('moved', () => counts.moved++);
    client
      .connect()
      .then(() => client.join(connection.room))
      .then(() => {
        if (connection.closed) return;
        ready.push(connection);
        counts.peak = Math.max(counts.peak, open());
      })
      .catch(() => {
        if (connection.closed) return;
        counts.connectErrors++;
        client.close();
        remove(connections, connection);
      })
      .finally(() => counts.connecting--);
  }

  function sendOne(): boolean {
    if (ready.length === 0) return false;
    const sender = ready[Math.floor(Math.random() * ready.length)]!;
    const id = randomUUID();
    const now = performance.now();
    if (now - started >= warmupMs) sentAt.set(id, { t: now, url: sender.client.url });
    counts.sent++;
    sender.client.send(sender.room, `load ${counts.sent}`, id).then(
      () => {
        counts.accepted++;
        acknowledged.get(sender.room)?.add(id);
      },
      (error: unknown) => {
        counts.sendErrors++;
        const code = error instanceof ChatRequestError ? error.body.code : (error as Error).name;
        byCode[code] = (byCode[code] ?? 0) + 1;
      },
    );
    return true;
  }

  // Observers: one client per room for the whole run, and what each room's senders had acknowledged.
  const acknowledged = new Map<string, Set<string>>();
  const observed = new Map<string, Set<string>>();
  const observers: ChatClient[] = [];
  if (options.observeRooms) {
    for (let r = 0; r < options.rooms; r++) {
      const room = `load-${r}`;
      const observer = new ChatClient({ urls: options.urls, name: `observer-${r}` });
      const seen = new Set<string>();
      observer.on('message', (m) => seen.add(m.id));
      await observer.connect();
      await observer.join(room);
      observers.push(observer);
      acknowledged.set(room, new Set());
      observed.set(room, seen);
    }
  }

  const started = performance.now();
  const warmupMs = (options.warmupSeconds ?? 0) * 1000;
  /** Time with nobody to send from: no messages fall due then. */
  let idleSeconds = 0;
  let previous = 0;
  let lastSecond = 0;
  let target = 0;
  for (;;) {
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= options.durationSeconds || options.signal?.aborted) break;
    target = Math.max(0, Math.round(options.profile(elapsed)));
    const have = connections.length;
    for (let i = have; i < target && counts.connecting < concurrency; i++) connectOne();
    while (connections.length > target) {
      // Users leave in no particular order: any client may be the one that goes.
      const gone = connections.splice(Math.floor(Math.random() * connections.length), 1)[0]!;
      gone.closed = true;
      gone.client.close();
      remove(ready, gone);
    }

    // Catch up to the rate by the clock, so a slow tick does not lower it; nobody to send from, no debt.
    if (ready.length === 0) idleSeconds += elapsed - previous;
    previous = elapsed;
    let due = Math.floor(options.messagesPerSecond * (elapsed - idleSeconds)) - counts.sent;
    while (due-- > 0 && sendOne());

    if (Math.floor(elapsed) > lastSecond) {
      lastSecond = Math.floor(elapsed);
      const cutoff = performance.now() - FORGET_AFTER_MS;
      for (const [id, origin] of sentAt) if (origin.t < cutoff) sentAt.delete(id);
      options.onSecond?.({ elapsedSeconds: lastSecond, target, open: open(), sent: counts.sent, received: counts.deliveries, errors: counts.connectErrors + counts.sendErrors });
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  // Let the last messages arrive before measuring (an observer that is moving needs a drain window more).
  await new Promise((resolve) => setTimeout(resolve, options.observeRooms ? 5000 : 1000));
  const report: LoadReport = {
    durationSeconds: options.durationSeconds,
    connections: { target, open: open(), peak: counts.peak, moved: counts.moved },
    messages: {
      sent: counts.sent,
      accepted: counts.accepted,
      deliveries: counts.deliveries,
      perSecond: counts.sent / options.durationSeconds,
      ...(options.observeRooms ? { lostAcknowledged: [...acknowledged].reduce((lost, [room, ids]) => lost + [...ids].filter((id) => !observed.get(room)!.has(id)).length, 0) } : {}),
    },
    latencyMs: { all: summarize([...samples.same, ...samples.cross]), sameNode: summarize(samples.same), crossNode: summarize(samples.cross) },
    errors: { connect: counts.connectErrors, send: counts.sendErrors, disconnects: counts.disconnects, byCode },
  };
  for (const c of connections) c.client.close();
  observers.forEach((o) => o.close());
  return report;
}

function summarize(samples: number[]): LatencySummary {
  if (samples.length === 0) return { samples: 0, p50: NaN, p99: NaN, max: NaN };
  const s = summarizeSamples(Float64Array.from(samples));
  return { samples: s.count, p50: s.p50, p99: s.p99, max: s.max };
}
