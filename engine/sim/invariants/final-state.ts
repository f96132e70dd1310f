import type { NodeId } from '../../raft/types';
import { holdsEntry, type LogView } from '../log-view';
import type { AckedWrite } from '../workload';

import type { CommittedLog } from './committed-log';
import type { ReportFailure } from './election-safety';

/** One member of the final membership, after the cluster converged. */
export interface MemberState {
  id: NodeId;
  applied: number;
  commit: number;
  stateHash: string;
  log: LogView;
}

/** The healed, converged cluster, as the whole-run checks see it. */
export interface FinalState {
  members: readonly MemberState[];
  /** Voters of the final membership. */
  voters: readonly NodeId[];
  /** What each final voter's storage holds durably. */
  durable: ReadonlyMap<NodeId, LogView>;
  /** Writes clients saw acknowledged, with where they committed. */
  acked: readonly AckedWrite[];
}

/**
 * The full check at the end of a run, complementing the incremental ones:
 * every member applied the same index to the same state; every member's
 * committed prefix matches the committed log (Log Matching, §5.3); every
 * entry ever committed is durable on a majority of the final voters (a
 * snapshot covering it counts); no acknowledged write is missing.
 */
export function checkFinalState(
  state: FinalState,
  committed: CommittedLog,
  report: ReportFailure,
): void {
  const applied = new Set(state.members.map((m) => m.applied));
  const hashes = new Set(state.members.map((m) => m.stateHash));
  if (applied.size > 1 || hashes.size > 1) {
    const each = state.members.map((m) => `n${m.id} ${m.applied}`);
    report(`final: members did not converge (${each.join(', ')})`);
  }

  for (const member of state.members) {
    const { log } = member;
    for (let i = Math.max(log.snapIndex, 1); i <= member.commit; i++) {
      const term = committed.termAt(i);
      if (term !== undefined && log.termAt(i) !== term) {
        report(`final: n${member.id} differs at committed index ${i}`);
        break;
      }
    }
  }

  const disks = [...state.durable.values()];
  const needed = Math.floor(state.voters.length / 2) + 1;
  for (let i = 1; i <= committed.highestIndex; i++) {
    const term = committed.termAt(i);
    if (term === undefined) {
      continue;
    }
    const holders = disks.filter((log) => holdsEntry(log, i, term)).length;
    if (holders < needed) {
      report(
        `final: committed (${i}, term ${term}) durable on ${holders} of ` +
          `${state.voters.length} voters`,
      );
      break;
    }
  }

  for (const write of state.acked) {
    if (committed.termAt(write.index) !== write.term) {
      report(
        `final: acknowledged write of c${write.client} seq ${write.seq} ` +
          `at (${write.index}, term ${write.term}) is not committed`,
      );
    }
  }
}
