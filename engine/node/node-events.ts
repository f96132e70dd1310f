import type { Role } from '../raft/raft-node';
import type { ConfState, NodeId } from '../raft/types';

/**
 * Everything a running node reports, as a union with a literal `type`
 * (STYLE §4.6). Logs are for people; these are the API.
 */
export type NodeEvent =
  | {
      type: 'role';
      node: NodeId;
      role: Role;
      term: number;
      leader: NodeId;
    }
  | { type: 'commit'; node: NodeId; commit: number; applied: number }
  | { type: 'membership'; node: NodeId; conf: ConfState }
  | {
      type: 'snapshot';
      node: NodeId;
      /** Taken from this node's state, or installed from the leader's. */
      source: 'taken' | 'installed';
      index: number;
      bytes: number;
    }
  | { type: 'stopped'; node: NodeId; reason: 'killed' | 'stopped' | 'failed' };
