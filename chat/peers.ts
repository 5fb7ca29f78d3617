import { networkInterfaces } from 'node:os';

/** How long a probe of the other nodes' readiness stands before it is made again. */
const PROBE_EVERY_MS = 2000;
/** A node that does not answer its readiness in this long cannot take anyone either. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * What a node knows of the rest of its fleet while its own Redis is out of reach: the addresses the
 * others advertised in their last heartbeats, and whether any of them says it is ready now (it reaches
 * Redis and is not draining). Only then is a new connection better served elsewhere.
 */
export class Peers {
  private urls: readonly string[] = [];
  private checkedAt = 0;
  private anyReady = false;
  private probing: Promise<boolean> | undefined;

  constructor(private readonly fetchReady: (url: string) => Promise<boolean> = readyAt) {}

  /** The other nodes' addresses, from heartbeats read while Redis was reachable. */
  remember(urls: readonly string[]): void {
    this.urls = urls;
  }

  get known(): readonly string[] {
    return this.urls;
  }

  /** Whether another node of the fleet is ready to take a connection; probes them at most every 2 s. */
  async anotherIsReady(): Promise<boolean> {
    if (this.urls.length === 0) return false;
    if (Date.now() - this.checkedAt < PROBE_EVERY_MS) return this.anyReady;
    this.probing ??= (async () => {
      const answers = await Promise.all(this.urls.map((url) => this.fetchReady(url).catch(() => false)));
      this.anyReady = answers.some(Boolean);
      this.checkedAt = Date.now();
      this.probing = undefined;
      return this.anyReady;
    })();
    return this.probing;
  }
}

async function readyAt(url: string): Promise<boolean> {
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  await response.body?.cancel();
  return response.status === 200;
}

/**
 * Where the other nodes can reach this one: the address it listens on, or, listening on every address,
 * its first non-internal IPv4 address (the task's or the instance's private address on AWS).
 */
export function advertisedUrl(host: string, port: number): string {
  if (host !== '0.0.0.0' && host !== '::') return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const address = Object.values(networkInterfaces())
    .flat()
    // Not link-local: Fargate gives a task a 169.254 interface for its metadata endpoint too.
    .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal && !i.address.startsWith('169.254.'))?.address;
  return `http://${address ?? '127.0.0.1'}:${port}`;
}
