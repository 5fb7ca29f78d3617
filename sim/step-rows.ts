import type { EpochSeconds } from '../core';

export interface StepRow {
  readonly time: EpochSeconds;
  /** Connections demanded; NaN inside a gap of the trace, where demand is unknown. */
  readonly demand: number;
  readonly desired: number;
  readonly running: number;
  readonly ready: number;
}

const COLUMNS = ['time', 'demand', 'desired', 'running', 'ready'] as const;

/**
 * A simulation's rows, one per step, held as columns of numbers: a year of 1-minute steps is 21 MB a
 * policy, where as objects it would be several times that. Rows are made on demand when read.
 */
export class StepRows implements Iterable<StepRow> {
  private readonly columns: Record<(typeof COLUMNS)[number], Float64Array>;
  private count = 0;

  constructor(capacity: number) {
    const size = Math.max(0, Math.ceil(capacity));
    this.columns = Object.fromEntries(COLUMNS.map((c) => [c, new Float64Array(size)])) as StepRows['columns'];
  }

  static from(rows: Iterable<StepRow>): StepRows {
    const list = [...rows];
    const out = new StepRows(list.length);
    for (const row of list) out.push(row);
    return out;
  }

  get length(): number {
    return this.count;
  }

  push(row: StepRow): void {
    if (this.count === this.columns.time.length) this.grow();
    for (const c of COLUMNS) this.columns[c][this.count] = row[c];
    this.count++;
  }

  at(index: number): StepRow | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const { time, demand, desired, running, ready } = this.columns;
    return { time: time[index]!, demand: demand[index]!, desired: desired[index]!, running: running[index]!, ready: ready[index]! };
  }

  /** One column, as many entries long as there are rows. */
  column(name: (typeof COLUMNS)[number]): Float64Array {
    return this.columns[name].subarray(0, this.count);
  }

  *[Symbol.iterator](): Iterator<StepRow> {
    for (let i = 0; i < this.count; i++) yield this.at(i)!;
  }

  private grow(): void {
    const size = Math.max(16, 2 * this.columns.time.length);
    for (const c of COLUMNS) {
      const bigger = new Float64Array(size);
      bigger.set(this.columns[c]);
      this.columns[c] = bigger;
    }
  }
}
