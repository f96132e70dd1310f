import type { AppliedEntry } from './checks';
import type { Logger } from '../../../engine/ports/logger';
import { SeededRng } from '../../../engine/ports/rng';
import type { RaftConfig, TestingBugs } from '../../../engine/raft/raft-node';
import type { ConfState, NodeId } from '../../../engine/raft/types';

const text = new TextDecoder();
const bytes = new TextEncoder();

/** Settings every node of a harness cluster shares. */
export interface ClusterOptions {
  electionTicks?: number;
  heartbeatTicks?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  maxInflightMsgs?: number;
  maxSizePerMsg?: number;
  snapshotChunkBytes?: number;
  compactionTrailingEntries?: number;
  testingBugs?: TestingBugs;
  seed?: number;
  /** Print the core's info/warn/error lines into the trace. */
  logLines?: boolean;
}

/** The config of one harness node (a fresh Rng per incarnation). */
export function nodeConfig(
  o: ClusterOptions,
  peer: { id: NodeId; incarnation: number; initialConf: ConfState | undefined },
  logger: Logger | undefined,
): RaftConfig {
  const seed = (o.seed ?? 1) * 7919 + peer.id * 104_729 + peer.incarnation;
  return {
    id: peer.id,
    electionTicks: o.electionTicks ?? 10,
    heartbeatTicks: o.heartbeatTicks ?? 1,
    rng: new SeededRng(seed),
    preVote: o.preVote ?? true,
    checkQuorum: o.checkQuorum ?? true,
    maxInflightMsgs: o.maxInflightMsgs,
    maxSizePerMsg: o.maxSizePerMsg,
    snapshotChunkBytes: o.snapshotChunkBytes,
    compactionTrailingEntries: o.compactionTrailingEntries ?? 0,
    initialConf: peer.initialConf,
    testingBugs: o.testingBugs,
    logger,
  };
}

/** The harness state machine as snapshot bytes. */
export function encodeState(state: AppliedEntry[]): Uint8Array {
  return bytes.encode(JSON.stringify(state));
}

/** The harness state machine from snapshot bytes (empty: initial). */
export function decodeState(data: Uint8Array): AppliedEntry[] {
  return data.byteLength === 0
    ? []
    : (JSON.parse(text.decode(data)) as AppliedEntry[]);
}
