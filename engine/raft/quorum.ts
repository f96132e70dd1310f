import type { NodeId } from './types';

/** The outcome of an election so far. */
export type VoteResult = 'won' | 'lost' | 'pending';

/**
 * The highest index that a majority of `voters` has reached, given each
 * voter's index. Learners never count: callers pass voters only
 * (reference/raft.md §2 bug 20). With no voters nothing is committed.
 */
export function quorumIndex(
  voters: readonly NodeId[],
  indexOf: (id: NodeId) => number,
): number {
  const n = voters.length;
  if (n === 0) {
    return 0;
  }
  const indexes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    indexes[i] = indexOf(voters[i]!);
  }
  indexes.sort((a, b) => b - a);
  return indexes[n >> 1]!;
}

/**
 * Whether `votes` (granted or refused, by node) decide an election among
 * `voters`. Votes from non-voters are ignored.
 */
export function voteResult(
  voters: readonly NodeId[],
  votes: ReadonlyMap<NodeId, boolean>,
): VoteResult {
  const majority = (voters.length >> 1) + 1;
  let granted = 0;
  let refused = 0;
  for (const id of voters) {
    const vote = votes.get(id);
    if (vote === true) {
      granted += 1;
    } else if (vote === false) {
      refused += 1;
    }
  }
  if (voters.length > 0 && granted >= majority) {
    return 'won';
  }
  if (voters.length - refused < majority) {
    return 'lost';
  }
  return 'pending';
}

/** Whether a majority of `voters` satisfies `isActive`. */
export function hasQuorum(
  voters: readonly NodeId[],
  isActive: (id: NodeId) => boolean,
): boolean {
  let active = 0;
  for (const id of voters) {
    if (isActive(id)) {
      active += 1;
    }
  }
  return voters.length > 0 && active >= (voters.length >> 1) + 1;
}
