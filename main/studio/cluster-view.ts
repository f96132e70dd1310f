import type { LocalCluster } from '../../engine/cluster/local-cluster';
import type { RaftStatus } from '../../engine/raft/raft-node';
import type {
  ClusterStatus,
  FaultsView,
  NodeStatus,
} from '../../preload/contract';

/** Every node of `cluster`, running or killed, ascending by id. */
export function nodeStatuses(cluster: LocalCluster): NodeStatus[] {
  const running = new Map(cluster.status().map((s) => [s.id, s]));
  const conf = mostAdvanced([...running.values()])?.conf;
  return cluster.nodeIds().map((id): NodeStatus => {
    const status = running.get(id);
    const isVoter = conf === undefined || conf.voters.includes(id);
    if (status === undefined) {
      return {
        id,
        state: 'killed',
        role: null,
        term: 0,
        leader: 0,
        commit: 0,
        applied: 0,
        lastIndex: 0,
        snapshotIndex: 0,
        isVoter,
      };
    }
    return {
      id,
      state: 'running',
      role: status.role,
      term: status.term,
      leader: status.leader,
      commit: status.commit,
      applied: status.applied,
      lastIndex: status.lastIndex,
      snapshotIndex: status.snapshotIndex,
      isVoter,
    };
  });
}

/** The network faults set on `cluster`. */
export function faultsView(cluster: LocalCluster): FaultsView {
  const state = cluster.faults.state();
  return {
    description: cluster.faults.describe(),
    partition: state.partition,
    cuts: state.cuts,
    links: state.links.map(({ from, to, fault }) => ({ from, to, ...fault })),
  };
}

/** The status of `cluster` for the top bar and the topology view. */
export function clusterStatus(
  cluster: LocalCluster,
  clusterTime: number,
  targets: ClusterStatus['targets'] = [],
): ClusterStatus {
  const statuses = cluster.status();
  const leader = cluster.leader() ?? null;
  const leaderStatus = statuses.find((s) => s.id === leader);
  const conf = mostAdvanced(statuses)?.conf;
  return {
    leader,
    term: Math.max(0, ...statuses.map((s) => s.term)),
    commit: leaderStatus?.commit ?? 0,
    clusterTime,
    nodes: nodeStatuses(cluster),
    voters: conf ? [...conf.voters] : [],
    learners: conf ? [...conf.learners] : [],
    faults: faultsView(cluster),
    targets,
  };
}

function mostAdvanced(statuses: RaftStatus[]): RaftStatus | undefined {
  let best: RaftStatus | undefined;
  for (const status of statuses) {
    if (!best || status.applied > best.applied) {
      best = status;
    }
  }
  return best;
}
