import { Logger } from '@aws-lambda-powertools/logger';
import type { ChatClient } from './client';
import type { ChatMessage } from './protocol';

/** Every message the client delivers from now on, in delivery order. */
export function collect(client: ChatClient): ChatMessage[] {
  const messages: ChatMessage[] = [];
  client.on('message', (m) => messages.push(m));
  return messages;
}

/** Retries an assertion until it passes or the time is up; the last failure is thrown. */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** A logger that keeps in-process test output quiet. */
export function quietLogger(): Logger {
  return new Logger({ serviceName: 'chat-test', logLevel: 'SILENT' });
}

/** The first request of a socket.io handshake, as any engine.io client sends it: 'accepted', or the status and reason. */
export async function handshake(url: string): Promise<string> {
  const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
  return response.status === 200 ? 'accepted' : `${response.status} ${((await response.json()) as { message: string }).message}`;
}
