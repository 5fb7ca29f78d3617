export type MetricAggregationType = 'Average' | 'Minimum' | 'Maximum';

/** Aggregates an alarm's datapoints the way a step policy's MetricAggregationType asks. `values` is non-empty. */
export function aggregate(values: readonly number[], type: MetricAggregationType): number {
  switch (type) {
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'Average':
      return values.reduce((sum, v) => sum + v, 0) / values.length;
  }
}
