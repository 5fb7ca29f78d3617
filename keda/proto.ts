import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';

/** KEDA's external scaler interface, as this project writes it. */
export const PROTO_PATH = fileURLToPath(new URL('./externalscaler.proto', import.meta.url));

/** Field names as written; 64-bit integers as numbers (replica counts never come near 2^53). */
export const LOADER_OPTIONS = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true } as const;

export const loadExternalScaler = (): PackageDefinition => loadSync(PROTO_PATH, LOADER_OPTIONS);

/** The ExternalScaler service's constructor (its `service` is the server's definition) in a loaded definition. */
export function externalScalerService(definition: PackageDefinition = loadExternalScaler()): ServiceClientConstructor & { service: ServiceDefinition } {
  const pkg = loadPackageDefinition(definition).externalscaler as GrpcObject;
  return pkg.ExternalScaler as ServiceClientConstructor & { service: ServiceDefinition };
}

export interface ScaledObjectRef {
  readonly name: string;
  readonly namespace: string;
  readonly scalerMetadata: Readonly<Record<string, string>>;
}

export interface MetricSpec {
  readonly metricName: string;
  readonly targetSize: number;
  readonly targetSizeFloat: number;
}

export interface MetricValue {
  readonly metricName: string;
  readonly metricValue: number;
  readonly metricValueFloat: number;
}
