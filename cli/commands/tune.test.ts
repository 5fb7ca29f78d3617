import { describe, expect, it } from 'vitest';
import type { CandidateScore } from '../../sim';
import { missedBy } from './tune';

const run = (underTimeShare: number, actionsPerDay: number) => ({ metrics: { underTimeShare, actionsPerDay } }) as CandidateScore;

describe('scaler tune says by how much the objective is out of reach', () => {
  it.each([
    { case: 'no setting reaches τU', tried: [run(0.9, 10), run(0.7, 80)], objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 60 }, says: ['no setting tried reaches τU <= 0.5%: the lowest is 0.70%'] },
    { case: 'τU reached only over the budget', tried: [run(0.4, 90), run(0.3, 75), run(0.9, 20)], objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 60 }, says: ['the budget of 60 changes a day is missed by 25%: at τU <= 0.5% the fewest is 75.0 a day'] },
    { case: 'τU reached with no budget', tried: [run(0.4, 90)], objective: { maxUnderProvisionedPercent: 0.5 }, says: [] },
  ])('$case', ({ tried, objective, says }) => {
    expect(missedBy(tried, objective)).toEqual(says);
  });
});
