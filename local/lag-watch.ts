/**
 * The share of the clients the trace asks for below which the load is behind: a run that keeps up stays
 * above three quarters of it even as a spike rises (clients connect over their minute).
 */
const LOAD_KEPT_UP = 0.5;
/** Fewer clients than this are too few to judge by. */
const LOAD_FLOOR = 20;
/** Real milliseconds the load must stay behind before it counts: a moment's catching up is not lag. */
const SUSTAINED_MS = 3_000;
/** Simulated seconds past its start-up after which a launched node that is not ready counts as late. */
export const LATE_NODE_GRACE_SECONDS = 30;

/**
 * Watches a local run, while it runs, for this machine falling behind the trace: clients that cannot
 * connect as fast as the trace asks, or nodes still not ready well after their simulated start-up. Each
 * kind of lag is reported once, as it starts; a lagging run says nothing about the controller.
 */
export class LagWatch {
  private behindSince: number | undefined;
  private readonly told = new Set<'load' | 'nodes'>();

  constructor(
    private readonly speed: number,
    private readonly onWarning: (message: string) => void,
  ) {}

  /** A second of the load: the clients the trace asks for and those open, at real time `realMs`. */
  load(wanted: number, open: number, realMs: number): void {
    if (wanted < LOAD_FLOOR || open >= LOAD_KEPT_UP * wanted) {
      this.behindSince = undefined;
      return;
    }
    this.behindSince ??= realMs;
    if (realMs - this.behindSince >= SUSTAINED_MS) {
      this.tell('load', `this machine is not keeping up at ${this.speed}x: ${open} of the ${wanted} clients the trace asks for are connected, and have been under ${LOAD_KEPT_UP * 100}% for ${SUSTAINED_MS / 1000} s; run again slower (--speed)`);
    }
  }

  /** Nodes launched more than their start-up and a grace ago that are still not ready. */
  nodes(late: number): void {
    if (late > 0) this.tell('nodes', `this machine is not keeping up at ${this.speed}x: ${late} node(s) are still not ready ${LATE_NODE_GRACE_SECONDS} s (simulated) after their start-up; ready nodes lag desired for the machine's sake, not the controller's; run again slower (--speed)`);
  }

  private tell(kind: 'load' | 'nodes', message: string): void {
    if (this.told.has(kind)) return;
    this.told.add(kind);
    this.onWarning(message);
  }
}

/** The share of the trace's peak a run that kept up reaches (clients connect at random within their minute). */
const PEAK_KEPT_UP = 0.8;

/**
 * After the run: the load follows the trace at `speed` only as fast as this machine opens connections
 * and starts nodes, and a run whose load never came near the trace's peak said nothing about the controller.
 */
export function lagWarning(run: { readonly peakReached: number; readonly peakConnections: number; readonly speed: number }): string | undefined {
  const reached = run.peakReached / run.peakConnections;
  if (reached >= PEAK_KEPT_UP) return undefined;
  return `this machine did not keep up at ${run.speed}x: the load reached ${run.peakReached} of the trace's ${run.peakConnections} connections at its peak (${(100 * reached).toFixed(0)}%); run again slower (--speed)`;
}
