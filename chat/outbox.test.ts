import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxPorts } from './outbox';
import type { ChatMessage } from './protocol';

const message = (n: number): ChatMessage => ({ id: `message-${n}`, room: 'r', name: 'n', text: `#${n}`, at: n });

/** Ports that record what the outbox did; Redis is "up" while `online` is true. */
function harness() {
  const log: string[] = [];
  const state = { online: true, failNext: 0, stored: [] as string[], broadcast: [] as string[], local: [] as string[], except: new Map<string, string[]>() };
  const ports: OutboxPorts = {
    persist: async (batch) => {
      await Promise.resolve();
      if (!state.online || state.failNext > 0) {
        state.failNext = Math.max(0, state.failNext - 1);
        throw new Error('redis down');
      }
      state.stored.push(...batch.map((m) => m.id));
    },
    broadcast: (m, except) => {
      state.broadcast.push(m.id);
      state.except.set(m.id, [...except]);
    },
    deliverLocally: (m) => {
      state.local.push(m.id);
      return ['local-socket'];
    },
    isOnline: () => state.online,
    onError: (error) => log.push(String(error)),
  };
  return { outbox: new Outbox(ports), state, log };
}

describe('Outbox', () => {
  it('stores, then broadcasts, then acknowledges while Redis is up', async () => {
    const { outbox, state } = harness();
    const reply = await outbox.accept(message(1));
    expect(reply).toEqual({ id: 'message-1', queued: false });
    expect(state).toMatchObject({ stored: ['message-1'], broadcast: ['message-1'], local: [] });
    expect(state.except.get('message-1')).toEqual([]);
  });

  it('delivers on this node at once while Redis is down, then stores and sends to the others on recovery', async () => {
    const { outbox, state } = harness();
    state.online = false;
    expect(await outbox.accept(message(1))).toEqual({ id: 'message-1', queued: true });
    expect(state).toMatchObject({ local: ['message-1'], stored: [], broadcast: [] });

    state.online = true;
    outbox.resume();
    expect(await outbox.flush(Date.now() + 1000)).toBe(0);
    expect(state).toMatchObject({ stored: ['message-1'], broadcast: ['message-1'] });
    expect(state.except.get('message-1')).toEqual(['local-socket']);
  });

  it('retries a failed store, delivering locally meanwhile, and keeps the order', async () => {
    const { outbox, state, log } = harness();
    state.failNext = 1;
    const replies = await Promise.all([outbox.accept(message(1)), outbox.accept(message(2))]);
    expect(replies.map((r) => r.queued)).toEqual([true, true]);
    expect(await outbox.flush(Date.now() + 2000)).toBe(0);
    expect(state.stored).toEqual(['message-1', 'message-2']);
    expect(state.local).toEqual(['message-1', 'message-2']);
    expect(log).toEqual(['Error: redis down']);
  });

  it('reports what it could not store by the deadline', async () => {
    const { outbox, state } = harness();
    state.online = false;
    await outbox.accept(message(1));
    expect(await outbox.flush(Date.now() + 100)).toBe(1);
    outbox.close();
  });

  it('never loses, repeats or reorders a message, whatever Redis does (property)', async () => {
    const step = fc.oneof(fc.constant('send' as const), fc.constant('down' as const), fc.constant('up' as const), fc.constant('fail' as const));
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const { outbox, state } = harness();
        const sent: string[] = [];
        const acks: Promise<unknown>[] = [];
        for (const s of steps) {
          if (s === 'send') {
            const m = message(sent.length);
            sent.push(m.id);
            acks.push(outbox.accept(m));
          } else if (s === 'down') state.online = false;
          else if (s === 'up') {
            state.online = true;
            outbox.resume();
          } else state.failNext++;
          await Promise.resolve();
        }
        state.online = true;
        state.failNext = 0;
        outbox.resume();
        expect(await outbox.flush(Date.now() + 5000)).toBe(0);
        await Promise.all(acks);
        expect(state.stored).toEqual(sent);
        expect(state.broadcast).toEqual(sent);
        // Local-first delivery keeps acceptance order, and a message is never sent to the same socket twice.
        expect(state.local).toEqual(sent.filter((id) => state.local.includes(id)));
        for (const id of state.local) expect(state.except.get(id)).toEqual(['local-socket']);
        outbox.close();
      }),
      { numRuns: 200 },
    );
  });
});
