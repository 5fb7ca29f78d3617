/**
 * A seasonal profile: the typical value at each slot of a season (a day or a week), from an exponentially
 * weighted average over past seasons (recent seasons count more, so a level shift fades in). Missing
 * values (NaN) are skipped; a slot never seen is NaN.
 */
export function seasonalProfile(values: ArrayLike<number>, firstSlot: number, period: number, halfLifeSeasons: number): Float64Array {
  const sums = new Float64Array(period);
  const weights = new Float64Array(period);
  const n = values.length;
  const decay = Math.pow(0.5, 1 / halfLifeSeasons);
  // Walk back from the newest value: the weight only changes once per season.
  let w = 1;
  for (let i = n - 1, seen = 0; i >= 0; i--, seen++) {
    if (seen > 0 && seen % period === 0) w *= decay;
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const slot = (firstSlot + i) % period;
    sums[slot] = sums[slot]! + v * w;
    weights[slot] = weights[slot]! + w;
  }
  const raw = new Float64Array(period);
  for (let s = 0; s < period; s++) raw[s] = weights[s]! > 0 ? sums[s]! / weights[s]! : NaN;
  return raw;
}

/** Centred moving average over ±`half` slots, wrapping around the season, ignoring NaN; O(period). */
export function smoothCircular(raw: Float64Array, half: number): Float64Array {
  const period = raw.length;
  if (half <= 0 || period === 0) return raw;
  const width = Math.min(2 * half + 1, period);
  const at = (i: number) => raw[((i % period) + period) % period]!;
  let sum = 0;
  let count = 0;
  for (let k = -Math.floor((width - 1) / 2); k <= Math.ceil((width - 1) / 2); k++) {
    const v = at(k);
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  const out = new Float64Array(period);
  const lo = Math.floor((width - 1) / 2);
  const hi = Math.ceil((width - 1) / 2);
  for (let s = 0; s < period; s++) {
    out[s] = count > 0 ? sum / count : NaN;
    const leaving = at(s - lo);
    const entering = at(s + hi + 1);
    if (Number.isFinite(leaving)) {
      sum -= leaving;
      count--;
    }
    if (Number.isFinite(entering)) {
      sum += entering;
      count++;
    }
  }
  return out;
}
