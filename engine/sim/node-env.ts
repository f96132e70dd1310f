import type { Rng } from '../ports/rng';
import type { PersistedState, StorageBatch } from '../ports/storage';
import type { RaftConfig, Ready } from '../raft/raft-node';
import type { Message } from '../raft/types';

import type { EventQueue } from './event-queue';
import type { SimNetwork } from './sim-network';
import type { SimNode } from './sim-node';

/** What the simulator's checks hear from a node. */
export interface NodeObserver {
  /** A ready was taken; `node.mirror` already includes its entries. */
  onReady(node: SimNode, ready: Ready, firstAppended: number): void;
  /** Messages are leaving the node. */
  onSend(node: SimNode, messages: readonly Message[]): void;
  /** The state machine moved to `node.applied`. */
  onApplied(node: SimNode): void;
  /** The node snapshotted its state machine and compacted to `index`. */
  onCompact(node: SimNode, index: number): void;
  /** An event (tick, message, client call) was handled by the node. */
  afterEvent(node: SimNode): void;
  /** A new incarnation started from `persisted`. */
  onStart(node: SimNode, persisted: PersistedState): void;
  /** The core threw: always a bug. */
  onError(node: SimNode, where: string, error: unknown): void;
}

/** Settings shared by every simulated node. */
export interface SimNodeEnv {
  queue: EventQueue;
  network: SimNetwork;
  observer: NodeObserver;
  /** Draws node seeds, tick jitter, fsync delays and torn tails. */
  rng: Rng;
  /** Virtual ms between ticks. */
  tickMs: number;
  /** Draws one fsync delay, ms. */
  fsyncDelay: () => number;
  /** Snapshot and compact after this many applied entries. */
  snapshotEvery: number;
  /** Core settings other than id, rng and membership. */
  raft: Omit<RaftConfig, 'id' | 'rng' | 'initialConf'>;
}

/**
 * The storage batches that make `ready` durable, in order: what RaftHost
 * writes. A received snapshot replaces the stored log; the core never
 * installs one whose last entry it already holds (it commits there
 * instead), so nothing durable is lost by the replacement.
 */
export function readyBatches(ready: Ready): StorageBatch[] {
  const { hardState, entries, snapshot } = ready;
  const appended = entries.length > 0 ? { entries } : undefined;
  if (snapshot !== undefined) {
    return [{ hardState, snapshot, ...appended, replaceLog: true }];
  }
  if (hardState === undefined && appended === undefined) {
    return [];
  }
  return [{ hardState, ...appended }];
}
