/**
 * What an action budget alone costs: the fewest ready unit-steps that cover `demand` (units per step)
 * at every step, with perfect foresight and at most `maxChanges` changes of capacity. Capacity is
 * piecewise constant, each piece at the peak demand it covers; the number of pieces is priced by a
 * Lagrange multiplier, bisected until the changes fit. Pieces are at most `maxPieceSteps` long, which
 * only removes solutions, so the result is achievable: the budget costs at most this much. (A budget
 * that falls between two prices gets the plan with fewer changes; one below length / maxPieceSteps
 * cannot be met, and `changes` says so.)
 */
export function actionBudgetCost(demand: readonly number[], maxChanges: number, maxPieceSteps = 240): { unitSteps: number; changes: number } {
  if (demand.length === 0) return { unitSteps: 0, changes: 0 };
  let low = 0;
  let high = demand.reduce((peak, d) => Math.max(peak, d), 0) * maxPieceSteps + 1;
  let best = segment(demand, high, maxPieceSteps);
  for (let i = 0; i < 40 && high - low > 1e-3; i++) {
    const price = (low + high) / 2;
    const result = segment(demand, price, maxPieceSteps);
    if (result.changes > maxChanges) low = price;
    else {
      high = price;
      best = result;
    }
  }
  return best;
}

/** Optimal pieces for one price per piece: dynamic programming over where the last piece starts. */
function segment(demand: readonly number[], price: number, maxPieceSteps: number): { unitSteps: number; changes: number } {
  const n = demand.length;
  const cost = new Float64Array(n + 1);
  const start = new Int32Array(n + 1);
  for (let end = 1; end <= n; end++) {
    let best = Infinity;
    let peak = 0;
    for (let from = end; from >= 1 && end - from < maxPieceSteps; from--) {
      peak = Math.max(peak, demand[from - 1]!);
      const c = cost[from - 1]! + (end - from + 1) * peak + price;
      if (c < best) {
        best = c;
        start[end] = from - 1;
      }
    }
    cost[end] = best;
  }
  let unitSteps = 0;
  let changes = 0;
  let previousLevel: number | undefined;
  const pieces: [number, number][] = [];
  for (let end = n; end > 0; end = start[end]!) pieces.push([start[end]!, end]);
  for (const [from, to] of pieces.reverse()) {
    let level = 0;
    for (let k = from; k < to; k++) level = Math.max(level, demand[k]!);
    unitSteps += level * (to - from);
    if (previousLevel !== undefined && level !== previousLevel) changes++;
    previousLevel = level;
  }
  return { unitSteps, changes };
}
