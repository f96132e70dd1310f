/** Counters and latency of one hook, as the hooks list shows them. */
export interface HookMetricsSnapshot {
  matched: number;
  succeeded: number;
  failed: number;
  retried: number;
  /** Deliveries not attempted, by reason (`queue_full`, `saturated`...). */
  dropped: Record<string, number>;
  deadLettered: number;
  /** Loop protection cut a delivery (causation depth over the limit). */
  loopCut: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

const RESERVOIR = 2048;

/**
 * Live metrics of one hook. Latency percentiles come from the most recent
 * {@link RESERVOIR} attempts (a ring), so they follow current behaviour.
 */
export class HookMetrics {
  matched = 0;
  succeeded = 0;
  failed = 0;
  retried = 0;
  deadLettered = 0;
  loopCut = 0;
  private readonly dropped = new Map<string, number>();
  private readonly latencies = new Float64Array(RESERVOIR);
  private latencyCount = 0;

  /** Records a finished attempt's duration. */
  recordLatency(ms: number): void {
    this.latencies[this.latencyCount % RESERVOIR] = ms;
    this.latencyCount += 1;
  }

  /** Counts a delivery that was never attempted. */
  drop(reason: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  /** A plain copy for the API and the UI. */
  snapshot(): HookMetricsSnapshot {
    const count = Math.min(this.latencyCount, RESERVOIR);
    const sorted = Array.from(this.latencies.subarray(0, count)).sort(
      (a, b) => a - b,
    );
    const at = (p: number) =>
      count === 0 ? null : sorted[Math.min(count - 1, Math.floor(count * p))]!;
    return {
      matched: this.matched,
      succeeded: this.succeeded,
      failed: this.failed,
      retried: this.retried,
      dropped: Object.fromEntries(this.dropped),
      deadLettered: this.deadLettered,
      loopCut: this.loopCut,
      latencyP50Ms: at(0.5),
      latencyP99Ms: at(0.99),
    };
  }
}
