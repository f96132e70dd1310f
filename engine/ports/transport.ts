import type { Message } from '../raft/types';

/** Where a peer listens. */
export interface PeerAddress {
  host: string;
  port: number;
}

/**
 * Moves Raft messages between nodes. Sending never blocks: each peer has a
 * bounded queue, and a full queue drops (Raft tolerates loss). Faults set
 * on a {@link FaultPlan} apply to every transport that shares it.
 */
export interface Transport {
  /** Queues messages for their `to` nodes. */
  send(messages: readonly Message[]): void;
  /** Registers the receiver of incoming messages; returns the unsubscribe. */
  onMessage(handler: (message: Message) => void): () => void;
  /** Closes every connection and the listener. */
  close(): Promise<void>;
}

/** Faults on one directed link (from, to). */
export interface LinkFault {
  /** Probability in [0, 1] that a message is dropped. */
  drop?: number;
  /** Extra delay in ms before delivery. */
  delayMs?: number;
  /** Probability in [0, 1] that a message is delivered twice. */
  duplicate?: number;
  /** Probability in [0, 1] that a message is held back behind later ones. */
  reorder?: number;
  /** Nothing gets through (a cut). */
  blocked?: boolean;
}
