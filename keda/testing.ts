// KEDA's published external scaler interface, as data, for the tests: the conformance check of the
// project's proto, and a client the project's own proto did not make. Transcribed from KEDA's
// pkg/scalers/externalscaler/externalscaler.proto (kedacore/keda, main, Apache-2.0) in protobufjs's JSON form.
import { credentials, loadPackageDefinition, Metadata, type Client, type GrpcObject, type ServiceClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { fromJSON, type PackageDefinition } from '@grpc/proto-loader';
import { LOADER_OPTIONS } from './proto';

const field = (type: string, id: number, rule?: 'repeated') => ({ type, id, ...(rule === undefined ? {} : { rule }) });

export const KEDA_PUBLISHED = {
  nested: {
    externalscaler: {
      options: { go_package: '.;externalscaler' },
      nested: {
        ExternalScaler: {
          methods: {
            IsActive: { requestType: 'ScaledObjectRef', responseType: 'IsActiveResponse' },
            StreamIsActive: { requestType: 'ScaledObjectRef', responseType: 'IsActiveResponse', responseStream: true },
            GetMetricSpec: { requestType: 'ScaledObjectRef', responseType: 'GetMetricSpecResponse' },
            GetMetrics: { requestType: 'GetMetricsRequest', responseType: 'GetMetricsResponse' },
            StreamMetricSpec: { requestType: 'ScaledObjectRef', responseType: 'GetMetricSpecResponse', responseStream: true },
          },
        },
        ScaledObjectRef: { fields: { name: field('string', 1), namespace: field('string', 2), scalerMetadata: { keyType: 'string', type: 'string', id: 3 } } },
        IsActiveResponse: { fields: { result: field('bool', 1) } },
        GetMetricSpecResponse: { fields: { metricSpecs: field('MetricSpec', 1, 'repeated') } },
        MetricSpec: { fields: { metricName: field('string', 1), targetSize: field('int64', 2), targetSizeFloat: field('double', 3) } },
        GetMetricsRequest: { fields: { scaledObjectRef: field('ScaledObjectRef', 1), metricName: field('string', 2) } },
        GetMetricsResponse: { fields: { metricValues: field('MetricValue', 1, 'repeated') } },
        MetricValue: { fields: { metricName: field('string', 1), metricValue: field('int64', 2), metricValueFloat: field('double', 3) } },
      },
    },
  },
};

export const kedaPublished = (): PackageDefinition => fromJSON(KEDA_PUBLISHED as Parameters<typeof fromJSON>[0], LOADER_OPTIONS);

/** What a loaded definition says on the wire: each method's path, streaming and types; each message's fields. */
export function wireShape(definition: PackageDefinition): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(definition).map(([name, entry]) => {
      if ('format' in entry) {
        const type = entry.type as { field: Array<{ name: string; number: number; type: string; label: string; typeName: string }>; nestedType?: Array<{ name: string; field: Array<{ name: string; number: number; type: string }> }> };
        const fields = type.field.map((f) => [f.name, f.number, f.type, f.label, f.typeName]);
        const maps = (type.nestedType ?? []).map((n) => [n.name, n.field.map((f) => [f.name, f.number, f.type])]);
        return [name, { fields, maps }];
      }
      const methods = Object.entries(entry as Record<string, { path: string; requestStream: boolean; responseStream: boolean; requestType: { type: { name: string } }; responseType: { type: { name: string } } }>);
      return [name, Object.fromEntries(methods.map(([m, d]) => [m, [d.path, d.requestStream, d.responseStream, d.requestType.type.name, d.responseType.type.name]]))];
    }),
  );
}

type Callback = (error: ServiceError | null, value: unknown) => void;

/** A client of KEDA's published interface, as KEDA's own Go client would call it: generic, untyped, plaintext. */
export function publishedClient(address: string): { call<T>(method: string, request: unknown): Promise<{ value: T; metadata: Metadata | undefined }>; stream(method: string, request: unknown): NodeJS.ReadableStream & { cancel(): void }; close(): void } {
  const pkg = loadPackageDefinition(kedaPublished()).externalscaler as GrpcObject;
  const Service = pkg.ExternalScaler as ServiceClientConstructor;
  const client = new Service(address, credentials.createInsecure()) as Client & Record<string, (...args: unknown[]) => { on(e: string, l: (m: Metadata) => void): void }>;
  return {
    call: <T>(method: string, request: unknown) =>
      new Promise<{ value: T; metadata: Metadata | undefined }>((resolve, reject) => {
        let metadata: Metadata | undefined;
        client[method]!.call(client, request, new Metadata(), { deadline: Date.now() + 60_000 }, ((error, value) => (error ? reject(error) : resolve({ value: value as T, metadata }))) as Callback).on('metadata', (m) => (metadata = m));
      }),
    stream: (method, request) => client[method]!.call(client, request) as unknown as NodeJS.ReadableStream & { cancel(): void },
    close: () => client.close(),
  };
}
