import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** One request the fake API server received, as it came. */
export interface RecordedCall {
  readonly verb: string;
  /** The path, with the query string. */
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

/** How the fake answers: a status and a JSON body, or undefined for 404. */
export type KubeRoute = (call: RecordedCall) => { status?: number; body: unknown } | undefined;

/**
 * A plain HTTP server standing in for the Kubernetes API: it records every request exactly (verb, path,
 * content type, body) and answers from `route`. A KubeConfig pointed at it drives @kubernetes/client-node.
 */
export class RecordingKubeApi {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly calls: RecordedCall[],
  ) {}

  static async start(route: KubeRoute): Promise<RecordingKubeApi> {
    const calls: RecordedCall[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const call = { verb: req.method!, path: req.url!, contentType: req.headers['content-type'], body: text === '' ? undefined : JSON.parse(text) };
        calls.push(call);
        const answer = route(call) ?? { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${call.path} not found` } };
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RecordingKubeApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls);
  }

  /** A kube config whose only cluster is this server, with a bearer token as a service account has. */
  kubeConfig(): KubeConfig {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'recording', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'scaler', token: 'test-token' }],
      contexts: [{ name: 'recording', cluster: 'recording', user: 'scaler' }],
      currentContext: 'recording',
    });
    return config;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
