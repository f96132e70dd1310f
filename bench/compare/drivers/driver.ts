// The load generator drives every system through this one shape, so the
// client loops, timing and percentiles are the same code for all three.

/** What a watch from the start of a phase saw. */
export interface WatchOutcome {
  delivered: number;
  firstMs: number;
  wallMs: number;
}

/** One system's client side, as one load-generator process holds it. */
export interface Driver {
  /**
   * One write of the 256-byte value by `client`, resolved once the system
   * acknowledged it; `seq` is unique within the process.
   */
  write(
    client: number,
    phase: string,
    seq: number,
    timeoutMs?: number,
  ): Promise<void>;
  /** Reads every write of `phase` from its start, until `expect` arrived. */
  watch(phase: string, expect: number, capMs: number): Promise<WatchOutcome>;
  /** Kills a node inside the server through its API (ours only). */
  killNode?(node: number): Promise<void>;
  close(): Promise<void>;
}

/** A failure as one line. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
