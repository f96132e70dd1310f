import { casKvModel } from '../check/cas-kv-model';
import {
  checkOperations,
  formatOperation,
  type Verdict,
} from '../check/linearizability';
import type { NodeId } from '../raft/types';

import type { ClusterChecks } from './cluster-checks';
import type { FinalState } from './invariants/final-state';
import { LogMirror, type LogView } from './log-view';
import type { SimCluster } from './sim-cluster';
import type { SimNode } from './sim-node';
import type { Workload } from './workload';

/** The members of the leader's membership that exist as nodes. */
export function members(cluster: SimCluster): SimNode[] {
  const conf = cluster.leaderConf();
  if (conf === undefined) {
    return [];
  }
  return [...conf.voters, ...conf.learners]
    .map((id) => cluster.nodes.get(id))
    .filter((node): node is SimNode => node !== undefined);
}

/**
 * Why the cluster has not converged yet, or `undefined` once every member
 * is up and has applied exactly the leader's commit index.
 */
export function convergenceGap(cluster: SimCluster): string | undefined {
  const leader = cluster.leader();
  if (leader === undefined) {
    return 'no leader';
  }
  const commit = leader.raft!.status().commit;
  const behind = members(cluster)
    .filter((node) => !node.isUp || node.applied !== commit)
    .map((node) => `n${node.id} ${node.isUp ? node.applied : 'down'}`);
  if (behind.length > 0) {
    return `leader n${leader.id} commit ${commit}; ${behind.join(', ')}`;
  }
  return undefined;
}

/**
 * The converged cluster as {@link checkFinalState} takes it: the final
 * membership's live members and what the final voters hold on disk.
 */
export function finalState(
  cluster: SimCluster,
  workload: Workload,
): FinalState {
  const voters = cluster.leaderConf()?.voters ?? [];
  const durable = new Map<NodeId, LogView>();
  for (const id of voters) {
    const node = cluster.nodes.get(id);
    if (node !== undefined) {
      durable.set(id, LogMirror.fromPersisted(node.storage.durableState()));
    }
  }
  return {
    members: members(cluster)
      .filter((node) => node.isUp)
      .map((node) => ({
        id: node.id,
        applied: node.applied,
        commit: node.raft!.status().commit,
        stateHash: node.kv.stateHash(),
        log: node.mirror,
      })),
    voters,
    durable,
    acked: workload.acked,
  };
}

/** What the linearizability check of the client history concluded. */
export interface HistoryVerdict {
  verdict: Verdict;
  /** Search steps taken. */
  steps: number;
  /** Operations checked. */
  operations: number;
}

/**
 * Feeds the client history to the checker with the per-key model. A
 * `not-linearizable` verdict is a failure (with the smallest failing key's
 * operations in the report); `unknown` is returned for the caller to count,
 * never taken as a pass.
 */
export function checkHistory(
  checks: ClusterChecks,
  workload: Workload,
  maxSteps: number,
  budgetMs: number,
): HistoryVerdict {
  const history = workload.history;
  const result = checkOperations(casKvModel, history, { maxSteps, budgetMs });
  if (result.verdict === 'not-linearizable') {
    const lines = (result.failing ?? []).map(
      (op) => `  ${formatOperation(casKvModel, op)}`,
    );
    checks.fail(
      `linearizability: history not linearizable\n${lines.join('\n')}`,
    );
  }
  return {
    verdict: result.verdict,
    steps: result.steps,
    operations: history.length,
  };
}
