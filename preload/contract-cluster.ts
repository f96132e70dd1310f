/**
 * The cluster part of the contract: what the topology view shows and the
 * controls it offers (kill, restart, partition, one-way cut, link faults,
 * heal, leadership transfer, membership). Plain data only.
 *
 * @packageDocumentation
 */

/** A node's Raft role, as the engine names it. */
export type NodeRole =
  'follower' | 'preCandidate' | 'candidate' | 'leader' | 'learner';

/** One node of a cluster, running or killed. */
export interface NodeStatus {
  /** Node id; ids are never reused. */
  id: number;
  /** `killed` nodes keep their data and can be restarted. */
  state: 'running' | 'killed';
  /** The role, or null while the node is killed. */
  role: NodeRole | null;
  /** Current term (0 while killed). */
  term: number;
  /** The leader this node knows of (0: none). */
  leader: number;
  commit: number;
  applied: number;
  /** Index of the last entry in its log. */
  lastIndex: number;
  /** Index covered by its latest snapshot. */
  snapshotIndex: number;
  /** Whether it votes (false for learners). */
  isVoter: boolean;
}

/** Faults set on one directed link. */
export interface LinkFaultView {
  from: number;
  to: number;
  /** Probability in [0, 1] that a message is dropped. */
  drop?: number;
  /** Extra delay before delivery (ms). */
  delayMs?: number;
  /** Probability in [0, 1] that a message is delivered twice. */
  duplicate?: number;
  /** Probability in [0, 1] that a message is held back behind later ones. */
  reorder?: number;
  /** Nothing gets through. */
  blocked?: boolean;
}

/** Every network fault currently set on a cluster. */
export interface FaultsView {
  /** One line for people, e.g. `partition {1} | {2,3}; cut 1→2`. */
  description: string;
  /** Groups that cannot reach each other; empty when not partitioned. */
  partition: number[][];
  /** One-way cuts. */
  cuts: { from: number; to: number }[];
  links: LinkFaultView[];
}

/** A second cluster the studio runs as a forward target. */
export interface TargetClusterStatus {
  /** The name hooks.toml uses (`studio:<name>` or a ticket). */
  name: string;
  leader: number | null;
  nodes: NodeStatus[];
}

/** The cluster as the top bar and the topology view show it. */
export interface ClusterStatus {
  /** The leader in the highest term, or null while there is none. */
  leader: number | null;
  /** The highest term any running node is in. */
  term: number;
  /** The leader's commit index (0 without a leader). */
  commit: number;
  /** Cluster time (Unix ms) as of the last applied entry. */
  clusterTime: number;
  /** Every node with data, ascending by id. */
  nodes: NodeStatus[];
  /** Membership as the most advanced running node knows it. */
  voters: number[];
  learners: number[];
  faults: FaultsView;
  /** Forward-target clusters started so far. */
  targets: TargetClusterStatus[];
}

/** Names one node. */
export interface NodeRequest {
  node: number;
}

/** Splits the nodes into groups that cannot reach each other. */
export interface PartitionRequest {
  groups: number[][];
}

/** Blocks messages from `from` to `to` only. */
export interface CutRequest {
  from: number;
  to: number;
}

/** Sets the faults of one directed link, replacing earlier ones. */
export interface LinkRequest {
  from: number;
  to: number;
  drop?: number;
  delayMs?: number;
  duplicate?: number;
  reorder?: number;
}

/** Hands leadership to `to`. */
export interface TransferRequest {
  to: number;
}

/** Adds a node: a voter once it caught up, or a learner. */
export interface AddNodeRequest {
  /** Leave it a learner. @defaultValue false */
  asLearner?: boolean;
}

/** The new node and the status after adding it. */
export interface AddNodeResponse {
  node: number;
  status: ClusterStatus;
}
