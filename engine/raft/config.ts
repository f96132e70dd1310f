import { InvalidRaftConfigError } from './errors';
import type { ConfState, NodeId } from './types';
import { silentLogger, type Logger } from '../ports/logger';
import type { Rng } from '../ports/rng';

/**
 * Test-only switches that each re-introduce one known unsafe behaviour, so
 * the simulator can prove its checks have teeth. Never set in the app.
 */
export interface TestingBugs {
  /**
   * The leader commits any index a majority stored, whatever its term
   * (paper Fig. 8; reference/raft.md §2 bug 1).
   */
  commitOldTermByCount?: boolean;
  /**
   * Vote and pre-vote grants go out before the vote is durable
   * (reference/raft.md §2 bug 2).
   */
  voteBeforeDurable?: boolean;
  /**
   * A follower truncates everything after prevLogIndex on any append, even
   * without a conflict (reference/raft.md §2 bug 10).
   */
  truncateOnStaleAppend?: boolean;
}

/** How one Raft node behaves. Times are in ticks of the driver's clock. */
export interface RaftConfig {
  /** This node's id (a positive integer). */
  id: NodeId;
  /**
   * Base election timeout in ticks; each node draws its timeout in
   * [electionTicks, 2 * electionTicks) after every reset.
   */
  electionTicks: number;
  /** Ticks between leader heartbeats (below electionTicks). */
  heartbeatTicks: number;
  /** The only randomness the core uses (election timeouts). */
  rng: Rng;
  /**
   * Ask for pre-votes before raising the term (thesis §9.6).
   * @defaultValue true
   */
  preVote?: boolean;
  /**
   * A leader steps down when it has not heard from a majority for an
   * election timeout, and followers that heard from a leader that recently
   * refuse to vote ("leader stickiness").
   * @defaultValue true
   */
  checkQuorum?: boolean;
  /**
   * Pipelined append messages in flight per follower.
   * @defaultValue 256
   */
  maxInflightMsgs?: number;
  /**
   * Entry bytes in flight per follower.
   * @defaultValue 32 MiB
   */
  maxInflightBytes?: number;
  /**
   * Entry data per append message (one entry always fits).
   * @defaultValue 1 MiB
   */
  maxSizePerMsg?: number;
  /**
   * Bytes of snapshot data per InstallSnapshot chunk.
   * @defaultValue 1 MiB
   */
  snapshotChunkBytes?: number;
  /**
   * Entry bytes the leader may hold uncommitted before it refuses
   * proposals with PROPOSAL_DROPPED.
   * @defaultValue 64 MiB
   */
  maxUncommittedBytes?: number;
  /**
   * Entries kept in memory below a snapshot passed to `compact()`, so a
   * follower slightly behind gets entries rather than the whole snapshot.
   * @defaultValue 1024
   */
  compactionTrailingEntries?: number;
  /**
   * Membership to start from while no snapshot is persisted (a fresh
   * cluster's original members). Pass it on every start of such a node;
   * once a snapshot is persisted, its membership wins.
   */
  initialConf?: ConfState;
  /** Scoped as `raft` with this node's id. */
  logger?: Logger;
  /** Test-only mutation switches (see {@link TestingBugs}). */
  testingBugs?: TestingBugs;
}

/** A {@link RaftConfig} with every default filled in. */
export interface ResolvedConfig {
  id: NodeId;
  electionTicks: number;
  heartbeatTicks: number;
  rng: Rng;
  preVote: boolean;
  checkQuorum: boolean;
  maxInflightMsgs: number;
  maxInflightBytes: number;
  maxSizePerMsg: number;
  snapshotChunkBytes: number;
  maxUncommittedBytes: number;
  compactionTrailingEntries: number;
  logger: Logger;
  bugs: Required<TestingBugs>;
}

const MIB = 1024 * 1024;

/** Fills in defaults and checks ranges; throws INVALID_CONFIG. */
export function resolveConfig(config: RaftConfig): ResolvedConfig {
  const resolved: ResolvedConfig = {
    id: config.id,
    electionTicks: config.electionTicks,
    heartbeatTicks: config.heartbeatTicks,
    rng: config.rng,
    preVote: config.preVote ?? true,
    checkQuorum: config.checkQuorum ?? true,
    maxInflightMsgs: config.maxInflightMsgs ?? 256,
    maxInflightBytes: config.maxInflightBytes ?? 32 * MIB,
    maxSizePerMsg: config.maxSizePerMsg ?? MIB,
    snapshotChunkBytes: config.snapshotChunkBytes ?? MIB,
    maxUncommittedBytes: config.maxUncommittedBytes ?? 64 * MIB,
    compactionTrailingEntries: config.compactionTrailingEntries ?? 1024,
    logger: (config.logger ?? silentLogger).child({
      scope: 'raft',
      node: config.id,
    }),
    bugs: {
      commitOldTermByCount: config.testingBugs?.commitOldTermByCount ?? false,
      voteBeforeDurable: config.testingBugs?.voteBeforeDurable ?? false,
      truncateOnStaleAppend: config.testingBugs?.truncateOnStaleAppend ?? false,
    },
  };

  if (!Number.isInteger(resolved.id) || resolved.id <= 0) {
    throw new InvalidRaftConfigError(`id ${resolved.id} is not positive`);
  }
  if (!(resolved.heartbeatTicks >= 1)) {
    throw new InvalidRaftConfigError('heartbeatTicks must be at least 1');
  }
  if (!(resolved.electionTicks > resolved.heartbeatTicks)) {
    throw new InvalidRaftConfigError(
      'electionTicks must be greater than heartbeatTicks',
    );
  }
  for (const key of [
    'maxInflightMsgs',
    'maxInflightBytes',
    'maxSizePerMsg',
    'snapshotChunkBytes',
    'maxUncommittedBytes',
  ] as const) {
    if (!(resolved[key] >= 1)) {
      throw new InvalidRaftConfigError(`${key} must be at least 1`);
    }
  }
  if (!(resolved.compactionTrailingEntries >= 0)) {
    throw new InvalidRaftConfigError('compactionTrailingEntries must be >= 0');
  }
  return resolved;
}
