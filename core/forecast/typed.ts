/** values[from, to) as a typed array: the forecaster's passes read typed arrays, and views of them are free. */
export function typedRange(values: ArrayLike<number>, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = values[i]!;
  return out;
}
