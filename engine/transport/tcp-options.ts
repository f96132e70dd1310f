import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Rng } from '../ports/rng';
import type { NodeId } from '../raft/types';

import { DEFAULT_MAX_FRAME_BYTES } from './codec';
import type { FaultPlan } from './fault-plan';
import type { DropReason, PeerCounters } from './peer-link';

/** What {@link TcpTransport.listen} needs. */
export interface TcpTransportOptions {
  /** This node's id. */
  id: NodeId;
  /** Port on 127.0.0.1. @defaultValue 0 (the system picks one) */
  port?: number;
  /** Only peers presenting the same cluster id (1–256 chars) are accepted. */
  clusterId: string;
  /** The cluster's faults, applied to every message at send time. */
  faults?: FaultPlan;
  /** Source of every random fault decision. */
  rng: Rng;
  /** Drives reconnect backoff, fault delays and connection timeouts. */
  clock: Clock;
  /** Gets `{ scope: 'transport', node }` on every line. */
  logger: Logger;
  /**
   * Messages queued per peer before the oldest are dropped.
   * @defaultValue 4096
   */
  maxQueue?: number;
  /**
   * Estimated bytes queued per peer before the oldest are dropped.
   * @defaultValue 16 MiB
   */
  maxQueueBytes?: number;
  /** Largest frame body sent or accepted. @defaultValue 64 MiB */
  maxFrameBytes?: number;
  /**
   * Bytes a socket may hold unsent before we stop writing to it and let
   * the queue absorb (and drop) what follows.
   * @defaultValue 4 MiB
   */
  maxBufferedBytes?: number;
  /**
   * How long a backed-up connection may go without the peer taking any
   * data before it is destroyed (and later remade).
   * @defaultValue 5000
   */
  stallTimeoutMs?: number;
  /**
   * How long a new inbound connection has to send its handshake.
   * @defaultValue 5000
   */
  handshakeTimeoutMs?: number;
}

/** {@link TcpTransportOptions} with every default filled in. */
export type ResolvedTcpOptions = Required<Omit<TcpTransportOptions, 'faults'>> &
  Pick<TcpTransportOptions, 'faults'>;

/** Fills in the defaults of `options`; `port` is the one actually bound. */
export function resolveTcpOptions(
  options: TcpTransportOptions,
  port: number,
): ResolvedTcpOptions {
  return {
    ...options,
    port,
    maxQueue: options.maxQueue ?? 4096,
    maxQueueBytes: options.maxQueueBytes ?? 16 * 1024 * 1024,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    stallTimeoutMs: options.stallTimeoutMs ?? 5_000,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5_000,
  };
}

/** Traffic with one peer. */
export interface PeerStats extends PeerCounters {
  /** The peer's node id. */
  peer: NodeId;
  /** True while our connection to it is up. */
  isConnected: boolean;
  /** Messages waiting to be written to it. */
  queued: number;
}

/** A snapshot of a {@link TcpTransport}'s traffic. */
export interface TcpTransportStats {
  /** This node. */
  id: NodeId;
  /** The port it listens on. */
  port: number;
  /** One entry per peer currently set. */
  peers: PeerStats[];
  /** Messages dropped before reaching a socket, by reason. */
  drops: Record<DropReason, number>;
  /** Incoming connections closed for breaking the protocol. */
  rejectedConnections: number;
}
