import type { Entry } from '../raft/types';

/**
 * What a node applies committed entries to. Applied identically on every
 * replica, so it must be deterministic: no clock, no randomness, no
 * iteration-order accidents (DESIGN §3.3).
 */
export interface StateMachine {
  /**
   * Applies one committed entry (of any type: `normal`, `config`,
   * `leader`) and returns the result handed to the proposer.
   */
  apply(entry: Entry): unknown;
  /** Serialises the whole state as of the last applied entry. */
  snapshot(): Uint8Array;
  /** Replaces the whole state with a snapshot's (empty data: initial state). */
  restore(data: Uint8Array): void;
}
