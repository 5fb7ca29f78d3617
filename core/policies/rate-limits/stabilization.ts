import type { Recommendation } from '../../state';
import type { EpochSeconds } from '../../time';

/**
 * Kubernetes HPA's stabilization: over each direction's window, scale-out goes only as high as the lowest
 * recent recommendation and scale-in only as low as the highest. The recommendation at `now` itself is
 * the one being replaced, so it is not counted twice.
 */
export function stabilize(
  raw: number,
  current: number,
  history: readonly Recommendation[],
  now: EpochSeconds,
  windows: { readonly scaleOutSeconds: number; readonly scaleInSeconds: number },
): number {
  let upper = raw;
  let lower = raw;
  for (const rec of history) {
    if (rec.at >= now) continue;
    if (rec.at > now - windows.scaleOutSeconds) upper = Math.min(upper, rec.desired);
    if (rec.at > now - windows.scaleInSeconds) lower = Math.max(lower, rec.desired);
  }
  let result = current;
  if (result < upper) result = upper;
  if (result > lower) result = lower;
  return result;
}
