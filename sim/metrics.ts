/**
 * Elasticity metrics of the SPEC Research Group (Herbst et al., "Ready for Rain?", 2018), over an
 * evaluation window, plus cost and service figures. Demand and supply are in units: demand is the
 * fewest units that serve the load, supply the units ready to serve.
 */
export interface ElasticityMetrics {
  /** τU: share of time (%) with fewer units ready than demanded. */
  readonly underTimeShare: number;
  /** θU: mean missing supply relative to demand (%), over the whole window. */
  readonly underAccuracy: number;
  /** τO: share of time (%) with more units ready than demanded. */
  readonly overTimeShare: number;
  /** θO: mean surplus supply relative to demand (%), over the whole window. */
  readonly overAccuracy: number;
  /** Units billed (running, ready or not), in unit-hours. */
  readonly unitHours: number;
  /** Connections above what the ready units serve, in connection-minutes. */
  readonly unservedConnectionMinutes: number;
  /** Changes of desired capacity per day. */
  readonly actionsPerDay: number;
  /** Length of the scored evaluation window in days (gaps excluded). */
  readonly days: number;
  /** Hours of the evaluation window inside gaps of the trace, where demand is unknown: not scored. */
  readonly unscoredHours: number;
}

export class MetricsAccumulator {
  private seconds = 0;
  private under = 0;
  private over = 0;
  private underAmount = 0;
  private overAmount = 0;
  private unitSeconds = 0;
  private unserved = 0;
  private actions = 0;
  private skipped = 0;

  /** Adds `dt` seconds during which `demandUnits` were needed, `ready` served and `running` were billed. */
  add(dt: number, demandUnits: number, demandConnections: number, ready: number, running: number, perUnit: number): void {
    this.seconds += dt;
    this.unitSeconds += running * dt;
    const base = Math.max(demandUnits, 1);
    if (ready < demandUnits) {
      this.under += dt;
      this.underAmount += ((demandUnits - ready) / base) * dt;
    } else if (ready > demandUnits) {
      this.over += dt;
      this.overAmount += ((ready - demandUnits) / base) * dt;
    }
    const missing = demandConnections - ready * perUnit;
    if (missing > 0) this.unserved += (missing * dt) / 60;
  }

  /** Leaves `dt` seconds unscored: demand is unknown there. */
  skip(dt: number): void {
    this.skipped += dt;
  }

  countAction(): void {
    this.actions++;
  }

  result(): ElasticityMetrics {
    const t = Math.max(this.seconds, 1e-9);
    const days = this.seconds / 86_400;
    return {
      underTimeShare: (100 * this.under) / t,
      underAccuracy: (100 * this.underAmount) / t,
      overTimeShare: (100 * this.over) / t,
      overAccuracy: (100 * this.overAmount) / t,
      unitHours: this.unitSeconds / 3600,
      unservedConnectionMinutes: this.unserved,
      actionsPerDay: days > 0 ? this.actions / days : 0,
      days,
      unscoredHours: this.skipped / 3600,
    };
  }
}
