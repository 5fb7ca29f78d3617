import { readFileSync } from 'node:fs';
import { Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { DecisionLog } from '../controller';
import { KedaRefusal, type DecisionBoard } from './board';
import { externalScalerService, type MetricSpec, type MetricValue, type ScaledObjectRef } from './proto';

/** The metric the HPA is given: the replicas the scaler wants, against a target of 1 a replica. */
export const METRIC_NAME = 'desired-replicas';
/** The response header that carries the reason for the replicas reported. */
export const REASON_HEADER = 'x-scaler-reason';

export interface KedaTls {
  /** PEM files: the server's certificate and key, and the CA that client certificates must chain to (mutual TLS). */
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
}

export interface KedaServerOptions {
  readonly port: number;
  readonly host?: string;
  /** TLS is optional, as KEDA allows; without it the server speaks plaintext gRPC. */
  readonly tls?: KedaTls;
  /** How often StreamIsActive looks again. */
  readonly streamSeconds: number;
  readonly log: DecisionLog;
}

export interface KedaServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * KEDA's external scaler over gRPC, answered from the board: IsActive and StreamIsActive say whether anyone
 * is connected; GetMetricSpec gives a target of 1; GetMetrics the replicas the latest decision wants, so
 * that the HPA's ceil(metric / target) is exactly that decision.
 */
export async function serveKeda(board: DecisionBoard, options: KedaServerOptions): Promise<KedaServer> {
  const server = new Server();
  const lastReported = new Map<string, string>();
  const spec = (): MetricSpec => ({ metricName: METRIC_NAME, targetSize: 1, targetSizeFloat: 1 });
  const handlers: UntypedServiceImplementation = {
    IsActive: unary<ScaledObjectRef, { result: boolean }>(async (ref) => ({ result: await board.active(board.target(ref)) })),
    GetMetricSpec: unary<ScaledObjectRef, { metricSpecs: MetricSpec[] }>(async (ref) => {
      board.target(ref);
      return { metricSpecs: [spec()] };
    }),
    GetMetrics: unary<{ scaledObjectRef: ScaledObjectRef; metricName: string }, { metricValues: MetricValue[] }>(async (request, metadata) => {
      const target = board.target(request.scaledObjectRef ?? ({} as ScaledObjectRef));
      const { replicas, reason } = board.reported(target);
      metadata.set(REASON_HEADER, reason);
      const said = `${replicas} ${reason}`;
      if (lastReported.get(target.name) !== said) {
        lastReported.set(target.name, said);
        options.log.info('reporting to the HPA', { target: target.name, replicas, reason });
      }
      return { metricValues: [{ metricName: request.metricName || METRIC_NAME, metricValue: replicas, metricValueFloat: replicas }] };
    }),
    StreamIsActive: (call: ServerWritableStream<ScaledObjectRef, { result: boolean }>) => {
      let last: boolean | undefined;
      const look = async () => {
        try {
          const result = await board.active(board.target(call.request));
          if (result !== last && !call.cancelled) call.write({ result });
          last = result;
        } catch (error) {
          stop();
          call.destroy(asServiceError(error));
        }
      };
      const timer = setInterval(() => void look(), options.streamSeconds * 1000);
      const stop = () => clearInterval(timer);
      call.on('cancelled', stop);
      call.on('close', stop);
      void look();
    },
    StreamMetricSpec: (call: ServerWritableStream<ScaledObjectRef, { metricSpecs: MetricSpec[] }>) => {
      // The spec never changes: sent when the stream opens, as KEDA asks, and the stream stays open.
      try {
        board.target(call.request);
        call.write({ metricSpecs: [spec()] });
      } catch (error) {
        call.destroy(asServiceError(error));
      }
    },
  };
  server.addService(externalScalerService().service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host ?? '0.0.0.0'}:${options.port}`, credentials(options.tls), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Open streams would hold a graceful shutdown forever.
        setTimeout(() => server.forceShutdown(), 2000).unref();
      }),
  };
}

function credentials(tls: KedaTls | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const ca = tls.ca === undefined ? null : readFileSync(tls.ca);
  return ServerCredentials.createSsl(ca, [{ cert_chain: readFileSync(tls.cert), private_key: readFileSync(tls.key) }], ca !== null);
}

/** A unary handler from an async function; a refusal or failure becomes its gRPC status, with one line. */
function unary<Req, Res>(answer: (request: Req, metadata: Metadata) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const metadata = new Metadata();
    answer(call.request, metadata).then(
      (response) => {
        call.sendMetadata(metadata);
        callback(null, response);
      },
      (error: unknown) => callback(asServiceError(error)),
    );
  };
}

function asServiceError(error: unknown): Error & { code: status; details: string } {
  const details = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(details), { code: error instanceof KedaRefusal ? error.code : status.INTERNAL, details });
}
