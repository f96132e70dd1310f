import type { NodeId } from '../raft/types';

import type { KvCommand, KvOutput } from './kv-machine';

/** How a proposal ended, as the node that took it reports. */
export type ProposeOutcome =
  | { kind: 'applied'; output: KvOutput; index: number; term: number }
  /** Its entry was replaced by another: it never committed. */
  | { kind: 'dropped' };

/** How a ReadIndex read ended. */
export type ReadOutcome =
  | { kind: 'read'; value: number | null }
  | {
      kind: 'dropped';
    };

/** The face a node shows to clients. */
export interface ClientTarget {
  readonly id: NodeId;
  /**
   * Proposes `command`; `done` runs at most once. Throws an AspenError
   * (`NOT_LEADER`, `PROPOSAL_DROPPED`) when it certainly did not append.
   */
  propose(command: KvCommand, done: (outcome: ProposeOutcome) => void): void;
  /** Reads `key` through ReadIndex; same contract as `propose`. */
  readIndex(key: string, done: (outcome: ReadOutcome) => void): void;
}

/** Picks the node a client sends its next attempt to. */
export type PickTarget = () => ClientTarget | undefined;
