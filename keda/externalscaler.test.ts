import { describe, expect, it } from 'vitest';
import { loadExternalScaler } from './proto';
import { kedaPublished, wireShape } from './testing';

describe("the project's externalscaler.proto", () => {
  it("says on the wire exactly what KEDA's published interface says: package, methods, streaming, messages, field names, numbers and types", () => {
    expect(wireShape(loadExternalScaler())).toEqual(wireShape(kedaPublished()));
  });

  it('serves the four calls KEDA makes of every external scaler, two of them streams', () => {
    const service = wireShape(loadExternalScaler())['externalscaler.ExternalScaler'] as Record<string, [string, boolean, boolean, string, string]>;
    expect(service.IsActive).toEqual(['/externalscaler.ExternalScaler/IsActive', false, false, 'ScaledObjectRef', 'IsActiveResponse']);
    expect(service.StreamIsActive).toEqual(['/externalscaler.ExternalScaler/StreamIsActive', false, true, 'ScaledObjectRef', 'IsActiveResponse']);
    expect(service.GetMetricSpec).toEqual(['/externalscaler.ExternalScaler/GetMetricSpec', false, false, 'ScaledObjectRef', 'GetMetricSpecResponse']);
    expect(service.GetMetrics).toEqual(['/externalscaler.ExternalScaler/GetMetrics', false, false, 'GetMetricsRequest', 'GetMetricsResponse']);
  });
});
