export type MetricAggregationType = 'Average' | 'Minimum' | 'Maximum';

/** Aggregates an alarm's datapoints the way a step policy's MetricAggregationType asks. `values` is non-empty. */
export function aggregate(values: readonly number[], type: MetricAggregationType): number {
  switch (type) {
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'Average':
      // Each term divided first: the mean of finite values stays finite (1e308 twice sums to Infinity).
      return values.reduce((sum, v) => sum + v / values.length, 0);
  }
}
