// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Inflights } from '../../../engine/raft/inflights';
import {
  hasQuorum,
  quorumIndex,
  voteResult,
} from '../../../engine/raft/quorum';

/** Voters 1..n with an index each, and some learners with theirs. */
const cluster = fc
  .record({
    voters: fc.array(fc.nat(50), { minLength: 1, maxLength: 7 }),
    learners: fc.array(fc.nat(60), { maxLength: 3 }),
  })
  .map(({ voters, learners }) => {
    const indexes = new Map<number, number>();
    voters.forEach((index, i) => indexes.set(i + 1, index));
    learners.forEach((index, i) => indexes.set(100 + i, index));
    return { voterIds: voters.map((_, i) => i + 1), indexes };
  });

/** The largest index that a strict majority of voters has reached. */
function bruteQuorumIndex(voters: number[], indexOf: (id: number) => number) {
  let best = 0;
  for (let candidate = 0; candidate <= 60; candidate++) {
    const holders = voters.filter((id) => indexOf(id) >= candidate).length;
    if (holders * 2 > voters.length) {
      best = candidate;
    }
  }
  return best;
}

describe('quorum arithmetic (reference/raft.md §2 bug 20)', () => {
  it('bug 20 (openraft#1802): the committed index is what a real majority of voters holds, learners aside', () => {
    fc.assert(
      fc.property(cluster, ({ voterIds, indexes }) => {
        const indexOf = (id: number) => indexes.get(id) ?? 0;
        expect(quorumIndex(voterIds, indexOf)).toBe(
          bruteQuorumIndex(voterIds, indexOf),
        );
      }),
    );
  });

  it('bug 20 (hashicorp/raft PR #398): election outcomes count voters only, each once', () => {
    const vote = fc.constantFrom<boolean | undefined>(true, false, undefined);
    fc.assert(
      fc.property(
        fc.array(vote, { minLength: 1, maxLength: 7 }),
        fc.array(fc.boolean(), { maxLength: 3 }),
        (voterVotes, learnerVotes) => {
          const voters = voterVotes.map((_, i) => i + 1);
          const votes = new Map<number, boolean>();
          voterVotes.forEach((v, i) => v !== undefined && votes.set(i + 1, v));
          // a non-voter that answered must change nothing
          learnerVotes.forEach((v, i) => votes.set(100 + i, v));

          const granted = voterVotes.filter((v) => v === true).length;
          const refused = voterVotes.filter((v) => v === false).length;
          const majority = Math.floor(voters.length / 2) + 1;
          const expected =
            granted >= majority
              ? 'won'
              : voters.length - refused < majority
                ? 'lost'
                : 'pending';
          expect(voteResult(voters, votes)).toBe(expected);
        },
      ),
    );
  });

  it('bug 20 (openraft d60f1e85): check-quorum and read quorums are strict majorities, never majority - 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
        (active) => {
          const voters = active.map((_, i) => i + 1);
          const count = active.filter(Boolean).length;
          expect(hasQuorum(voters, (id) => active[id - 1]!)).toBe(
            count * 2 > voters.length,
          );
        },
      ),
    );
  });

  it('bug 20 (etcd-io/raft PR #54): the in-flight byte count never leaks, so replication never stalls', () => {
    const op = fc.oneof(
      fc.record({ add: fc.nat(1000) }),
      fc.record({ free: fc.nat(80) }),
      fc.constant('reset' as const),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.array(op, { maxLength: 80 }),
        (maxCount, maxBytes, ops) => {
          const inflights = new Inflights(maxCount, maxBytes);
          let model: { index: number; bytes: number }[] = [];
          let next = 1;
          for (const o of ops) {
            if (o === 'reset') {
              inflights.reset();
              model = [];
            } else if ('add' in o) {
              if (!inflights.isFull()) {
                inflights.add(next, o.add);
                model.push({ index: next, bytes: o.add });
                next += 1;
              }
            } else {
              inflights.freeLE(o.free);
              model = model.filter((m) => m.index > o.free);
            }
            const bytes = model.reduce((sum, m) => sum + m.bytes, 0);
            expect(inflights.size).toBe(model.length);
            expect(inflights.bytes).toBe(bytes);
            expect(inflights.isFull()).toBe(
              model.length >= maxCount || bytes >= maxBytes,
            );
          }
          // once everything is acknowledged there is room again
          inflights.freeLE(next);
          expect(inflights.isFull()).toBe(false);
        },
      ),
    );
  });
});
