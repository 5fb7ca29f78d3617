import { credentials, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { externalScalerService, type MetricSpec, type MetricValue, type ScaledObjectRef } from './proto';
import { REASON_HEADER } from './server';

/** What KEDA asks the scaler, as KEDA asks it: the calls local mode's HPA stand-in makes. */
export interface KedaClient {
  isActive(ref: ScaledObjectRef): Promise<boolean>;
  getMetricSpec(ref: ScaledObjectRef): Promise<MetricSpec[]>;
  getMetrics(ref: ScaledObjectRef, metricName: string): Promise<{ values: MetricValue[]; reason: string | undefined }>;
  close(): void;
}

type Callback<T> = (error: ServiceError | null, value: T) => void;
type Unary = (request: unknown, metadata: Metadata, options: object, callback: Callback<unknown>) => { on(event: 'metadata', listener: (m: Metadata) => void): void };

/** A plaintext client of the scaler at `address` (host:port). */
export function kedaClient(address: string): KedaClient {
  const Service = externalScalerService();
  const client = new Service(address, credentials.createInsecure()) as Client & Record<string, Unary>;
  const call = <T>(method: string, request: unknown) =>
    new Promise<{ value: T; metadata: Metadata | undefined }>((resolve, reject) => {
      let metadata: Metadata | undefined;
      const deadline = { deadline: Date.now() + 30_000 };
      client[method]!.call(client, request, new Metadata(), deadline, (error, value) => (error ? reject(error) : resolve({ value: value as T, metadata }))).on('metadata', (m) => (metadata = m));
    });
  return {
    isActive: async (ref) => (await call<{ result: boolean }>('IsActive', ref)).value.result,
    getMetricSpec: async (ref) => (await call<{ metricSpecs: MetricSpec[] }>('GetMetricSpec', ref)).value.metricSpecs,
    getMetrics: async (ref, metricName) => {
      const { value, metadata } = await call<{ metricValues: MetricValue[] }>('GetMetrics', { scaledObjectRef: ref, metricName });
      return { values: value.metricValues, reason: metadata?.get(REASON_HEADER)[0]?.toString() };
    },
    close: () => client.close(),
  };
}
