// The KEDA face: scaler keda serves KEDA's external scaler interface over gRPC from the same engine, and
// local mode drives its fleet through it with an HPA stand-in.
export * from './board';
export * from './client';
export * from './kubernetes-api';
export * from './proto';
export * from './runtime';
export * from './scaler';
export * from './server';
