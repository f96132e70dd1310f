// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  drain,
  electedCluster,
  entry,
  nodeFrom,
  reorderedWrites,
  voteLostInCrash,
} from './scenarios';
import type { Message } from '../../../engine/raft/types';

function voteRequest(
  from: number,
  to: number,
  term: number,
  last: [number, number],
): Message {
  return {
    type: 'vote',
    from,
    to,
    term,
    logTerm: last[1],
    index: last[0],
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    hintTerm: 0,
    context: 0,
  };
}

describe('RaftNode election safety (reference/raft.md §2)', () => {
  it('bug 2 (nodedb#161): a vote lost in a crash was never sent, so no term gets two leaders', () => {
    const h = voteLostInCrash();
    expect(h.violations).toEqual([]);
    expect([...(h.leaders.get(1) ?? [])]).toEqual([2]);
  });

  it('bug 2: a vote grant waits for persistence, and the term and vote survive a restart', () => {
    const h = electedCluster(3);
    const status = h.node(2).status();
    h.crash(2);
    h.restart(2);
    expect(h.node(2).status()).toMatchObject({ term: status.term, vote: 1 });
  });

  it('bug 3 (PySyncObj PR #202): a restart of every node loses no acknowledged write', () => {
    const h = electedCluster(3);
    for (const data of ['a', 'b', 'c']) {
      h.propose(1, data);
    }
    h.stabilize();
    const acked = h.peer(1).applied.map((e) => e.data);
    const terms = h.ids().map((id) => h.node(id).status().term);

    for (const id of h.ids()) {
      h.crash(id);
    }
    for (const id of h.ids()) {
      h.restart(id);
    }
    expect(h.ids().map((id) => h.node(id).status().term)).toEqual(terms);

    expect(h.runUntil(() => h.leader() !== 0, 100)).toBe(true);
    h.propose(h.leader(), 'd');
    h.stabilize();
    for (const id of h.ids()) {
      const applied = h.peer(id).applied.map((e) => e.data);
      expect(applied.slice(0, acked.length)).toEqual(acked);
      expect(applied).toContain('d');
    }
    expect(h.violations).toEqual([]);
  });

  it('bug 4 (hazelcast PR #16643): a check-quorum step-down keeps the vote, so a second vote in the term is refused', () => {
    const h = electedCluster(3);
    h.isolate(1);
    h.runUntil(() => h.node(1).status().role !== 'leader', 50);
    expect(h.node(1).status()).toMatchObject({
      role: 'follower',
      term: 1,
      vote: 1,
    });

    const node = h.node(1);
    drain(node);
    node.step(voteRequest(2, 1, 1, [5, 1]));
    const ready = drain(node);
    const replies = [...ready.messages, ...ready.messagesAfterPersist];
    expect(replies).toMatchObject([
      { type: 'voteResp', reject: true, term: 1 },
    ]);
    expect(node.status().vote).toBe(1);
  });

  it('bug 5 (openraft io_ordering): with ordered writes a deposed leader cannot overwrite a committed entry', () => {
    const h = reorderedWrites(false);
    expect(h.violations).toEqual([]);
    expect(h.underReplicated([1, 2, 3])).toEqual([]);
    expect(h.node(3).status().term).toBe(2);
  });

  it('bug 5: the storage-reordering fault makes the same checks fail', () => {
    const h = reorderedWrites(true);
    expect(h.violations.length).toBeGreaterThan(0);
    expect(h.underReplicated([1, 2, 3]).length).toBeGreaterThan(0);
  });

  it('bug 14 (hashicorp/raft#524): a removed node that was cut off does not disturb the leader when it returns', () => {
    const h = electedCluster(3);
    h.isolate(3);
    h.node(1).proposeConfChange({ type: 'remove', node: 3 });
    h.runTicks(50);
    const { term } = h.node(1).status();
    expect(h.node(1).status().conf.voters).toEqual([1, 2]);

    h.heal();
    h.runTicks(200);
    expect(h.node(1).status()).toMatchObject({ role: 'leader', term });
    expect(h.node(2).status()).toMatchObject({ leader: 1, term });
  });

  it('bug 15 (etcd#8243): a leader emerges when a lagging node returns just as the leader crashes', () => {
    const h = electedCluster(3);
    h.isolate(3);
    // raise the term of 1 and 2 while 3 stays behind
    for (const [from, to] of [
      [1, 2],
      [2, 1],
      [1, 2],
    ] as const) {
      h.node(from).transferLeadership(to);
      h.runUntil(() => h.node(to).status().role === 'leader', 50);
    }
    expect(h.node(2).status()).toMatchObject({ role: 'leader', term: 4 });
    expect(h.node(3).status().term).toBe(1);

    h.crash(2);
    h.heal();
    // within ten election timeouts (reference/raft.md §3: liveness, not speed)
    expect(h.runUntil(() => h.leader() !== 0, 200)).toBe(true);
    expect(h.violations).toEqual([]);
  });

  it('bug 21 (nats-server PR #5021): a vote reply carries the term the receiver holds after the request', () => {
    const node = nodeFrom(
      1,
      {
        hardState: { term: 5, vote: 0, commit: 1 },
        entries: [entry(1, 3, 'a')],
      },
      [1, 2, 3],
    );
    drain(node);
    node.step(voteRequest(2, 1, 7, [1, 3]));
    let ready = drain(node);
    expect(ready.messagesAfterPersist).toMatchObject([
      { type: 'voteResp', reject: false, term: 7 },
    ]);
    expect(node.status().term).toBe(7);

    // refused for a stale log, the reply still carries the new term
    node.step(voteRequest(3, 1, 9, [1, 2]));
    ready = drain(node);
    expect(ready.messagesAfterPersist).toMatchObject([
      { type: 'voteResp', reject: true, term: 9 },
    ]);
    expect(node.status().term).toBe(9);
  });
});
