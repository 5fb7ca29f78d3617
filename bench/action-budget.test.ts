import { describe, expect, it } from 'vitest';
import { actionBudgetCost } from './action-budget';

describe('actionBudgetCost', () => {
  const demand = [1, 1, 5, 5, 1, 1, 1, 1, 3, 3];

  // The best plans: 3 changes 22, 2 changes 30, 1 change 38, none 50. Each change saves 12, 8, 8: the
  // price cannot tell the second from the third, so a budget of 2 gets the 1-change plan.
  it.each([
    ['follows demand exactly when changes are cheap enough', 3, 22, 3],
    ['merges the cheapest pieces first under a tighter budget', 1, 38, 1],
    ['keeps within a budget that falls between two prices', 2, 38, 1],
    ['holds the peak throughout with no change allowed', 0, 50, 0],
  ])('%s', (_, budget, unitSteps, changes) => {
    expect(actionBudgetCost(demand, budget)).toEqual({ unitSteps, changes });
  });

  it('never undercuts the demand and never exceeds the budget (a long noisy series)', () => {
    const noisy = Array.from({ length: 2000 }, (_, i) => 10 + Math.round(5 * Math.sin(i / 50) + ((i * 7919) % 13) / 4));
    const exact = noisy.reduce((s, d) => s + d, 0);
    let previous = Infinity;
    for (const budget of [20, 50, 100, 400]) {
      const r = actionBudgetCost(noisy, budget);
      expect(r.changes).toBeLessThanOrEqual(budget);
      expect(r.unitSteps).toBeGreaterThanOrEqual(exact);
      expect(r.unitSteps).toBeLessThanOrEqual(previous);
      previous = r.unitSteps;
    }
  });
});
