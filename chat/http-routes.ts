import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');

/** The page's files, by URL path; nothing else on disk is reachable. */
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** No inline script can run, whatever a message contains; the page only talks to its own node. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export interface NodeStatus {
  ready(): { ready: boolean; reasons: string[] };
  stats(): Record<string, unknown>;
  drain(): void;
}

/**
 * /healthz (liveness: what the load balancer checks, so a Redis outage never has the fleet replaced),
 * /readyz (503 while draining or while Redis is down), /stats, POST /drain, the page.
 */
export function httpRoutes(status: NodeStatus) {
  const files = new Map<string, Promise<Buffer>>();
  const read = (name: string) => {
    let body = files.get(name);
    if (body === undefined) files.set(name, (body = readFile(join(PUBLIC_DIR, name))));
    return body;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // socket.io answers its own path on the same server.
    if (req.url?.startsWith('/socket.io/')) return;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      const readiness = status.ready();
      return json(res, readiness.ready ? 200 : 503, readiness);
    }
    if (req.method === 'GET' && path === '/stats') return json(res, 200, status.stats());
    if (path === '/drain') {
      if (req.method !== 'POST') return json(res, 405, { error: 'POST /drain' });
      const refusal = drainRefusal(req);
      if (refusal !== undefined) return json(res, 403, { error: refusal });
      status.drain();
      return json(res, 202, { draining: true });
    }
    const file = STATIC_FILES[path];
    if (req.method === 'GET' && file) {
      const body = await read(file.file);
      res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
      res.end(body);
      return;
    }
    json(res, 404, { error: `no route for ${req.method} ${path}` });
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The header an operator's drain request carries: a browser page cannot send it to another origin. */
export const DRAIN_HEADER = 'x-chat-drain';

/**
 * Why a drain request is refused, or undefined to accept it. Only a tool on the node's own host may
 * drain it: a browser always sends Origin on a POST, and can add a custom header only after a CORS
 * preflight, which this node never answers; so a page of any origin cannot drain it, even with no-cors.
 */
function drainRefusal(req: IncomingMessage): string | undefined {
  if (!isLoopback(req.socket.remoteAddress)) return 'drain is accepted from this host only';
  if (req.headers.origin !== undefined) return 'drain is not accepted from a browser page';
  if (req.headers[DRAIN_HEADER] !== 'now') return `drain needs the header ${DRAIN_HEADER}: now`;
  return undefined;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
