// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { Harness } from './harness';
import { electedCluster } from './scenarios';

function errorCode(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('RaftNode membership and snapshots (reference/raft.md §2)', () => {
  it('bug 13 (copycat#23): a new leader refuses a membership change until an entry of its term commits', () => {
    const h = electedCluster(3);
    // 1 appends a change that reaches 2 but whose ack is lost
    h.cut(1, 3);
    h.cut(2, 1);
    h.node(1).proposeConfChange({ type: 'addLearner', node: 4 });
    h.stabilize();
    expect(h.node(1).status().commit).toBe(1);
    h.crash(1);
    h.heal();

    // let the leases on 1 run out, then step 2's election by hand
    h.tick(2, 10);
    h.tick(3, 10);
    h.node(2).campaign();
    for (let i = 0; i < 8 && h.node(2).status().role !== 'leader'; i++) {
      h.processReady(2);
      h.processReady(3);
      h.deliver();
    }
    // leader 2 holds the old change uncommitted, and its own entry too
    expect(h.node(2).status()).toMatchObject({ role: 'leader', commit: 1 });
    const change = { type: 'addLearner', node: 5 } as const;
    expect(errorCode(() => h.node(2).proposeConfChange(change))).toBe(
      'NOT_READY',
    );

    h.stabilize([2, 3]);
    expect(h.node(2).status().conf.learners).toEqual([4]);
    expect(
      errorCode(() => h.node(2).proposeConfChange(change)),
    ).toBeUndefined();
    h.stabilize([2, 3]);
    expect(h.node(3).status().conf.learners).toEqual([4, 5]);
  });

  it('bug 16 (hashicorp/raft#697): a snapshot over a conflicting entry discards it, and appends then succeed', () => {
    const h = new Harness({ compactionTrailingEntries: 0 });
    const ids = [1, 2, 3, 4, 5];
    h.addNodes(ids, { voters: ids, learners: [] });
    h.node(1).campaign();
    h.stabilize();
    // 1 gets x and y to node 3 only, and hears no ack
    for (const to of [2, 4, 5]) {
      h.cut(1, to);
    }
    h.cut(3, 1);
    h.propose(1, 'x');
    h.propose(1, 'y');
    h.stabilize();
    h.crash(1);
    h.heal();

    h.isolate(3);
    h.runUntil(() => h.leader() !== 0, 100);
    const id = h.leader();
    for (const data of ['a', 'b', 'c']) {
      h.propose(id, data);
    }
    h.stabilize();
    // node 3 holds 3/1 (y) where the snapshot has the new leader's term
    const term = h.node(id).status().term;
    h.compact(id, 3);
    h.heal();
    h.runTicks(5);

    const leader = h.node(id).status();
    expect(h.node(3).status()).toMatchObject({
      commit: leader.commit,
      lastIndex: leader.lastIndex,
    });
    const durable = h.peer(3).store.load();
    expect(durable.snapshot?.meta.index).toBe(3);
    expect(durable.snapshot?.meta.term).toBe(term);
    expect(durable.entries.every((e) => e.term === term)).toBe(true);
    expect(h.violations).toEqual([]);
  });

  it('bug 17 (hashicorp/raft#212): an interrupted snapshot transfer restarts cleanly', () => {
    const h = electedCluster(3, { snapshotChunkBytes: 16 });
    h.isolate(3);
    for (const data of ['a', 'b', 'c', 'd']) {
      h.propose(1, data);
    }
    h.stabilize([1, 2]);
    h.compact(1, 5);
    h.heal();

    // run until some chunks are in, then lose the rest of the transfer twice:
    // once by a crash of the follower, once by a dropped chunk
    h.node(1).tick();
    for (let i = 0; i < 12; i++) {
      h.processReady(1);
      h.processReady(3);
      h.deliver();
    }
    expect(h.trace.some((l) => l.includes('3->1 snapResp'))).toBe(true);
    h.crash(3);
    h.restart(3);
    let lost = 0;
    h.dropWhen = (m) =>
      m.type === 'snap' && m.snapshot!.offset > 0 && lost++ === 0;
    h.runTicks(30);

    expect(h.trace.some((l) => l.includes('restart snapshot=5'))).toBe(true);
    expect(h.node(3).status()).toMatchObject({ commit: 5, snapshotIndex: 5 });
    expect(h.peer(3).applied).toEqual(h.peer(1).applied);
  });

  it('bug 18 (openraft eed681d5): a snapshot arriving mid-apply leaves the same state as a replay', () => {
    const h = electedCluster(3, { compactionTrailingEntries: 0 });
    h.propose(1, 'a');
    h.stabilize();
    h.propose(1, 'b');
    h.stabilize([1, 2]);
    // node 3 takes a Ready holding b (appended and committed) but has not
    // applied it yet when the snapshot arrives
    h.deliver({ to: 3 });
    h.processReady(3, false);
    expect(h.peer(3).held?.committedEntries.length).toBe(1);

    h.queue = h.queue.filter((m) => m.to !== 3);
    h.isolate(3);
    h.propose(1, 'c');
    h.propose(1, 'd');
    h.stabilize([1, 2]);
    h.compact(1, 5);
    h.heal();
    // the leader probes again, finds 3 behind the snapshot, sends it
    h.runUntil(() => h.trace.some((l) => l.includes('1->3 snap')), 60);
    h.deliver({ to: 3, type: 'snap' });

    h.sync(3);
    h.stabilize();
    expect(h.node(3).status().applied).toBe(h.node(1).status().applied);
    expect(h.peer(3).applied).toEqual(h.peer(1).applied);
    expect(h.violations).toEqual([]);
  });

  it('bug 22 (hashicorp/raft PR #570): a transfer under write load loses no acknowledged write', () => {
    const h = electedCluster(3);
    const acked: string[] = [];
    let transferred = false;
    for (let i = 0; i < 60; i++) {
      const leader = h.leader();
      const data = `w${i}`;
      const at = leader === 0 ? 'NOT_LEADER' : h.propose(leader, data);
      h.runTicks(1);
      if (/^\d+\/\d+$/.test(at)) {
        const [index, term] = at.split('/').map(Number);
        const entry = h.peer(leader).applied.find((e) => e.index === index);
        if (entry?.term === term) {
          acked.push(data);
        }
      }
      if (i === 10) {
        h.node(1).transferLeadership(2);
        transferred = true;
      }
    }
    expect(transferred).toBe(true);
    expect(h.leader()).toBe(2);
    for (const id of h.ids()) {
      const applied = h.peer(id).applied.map((e) => e.data);
      for (const data of acked) {
        expect(applied).toContain(data);
      }
    }
    expect(acked.length).toBeGreaterThan(40);
    expect(h.violations).toEqual([]);
  });

  it('bug 22: a transfer to a target that cannot catch up times out and writes resume', () => {
    const h = electedCluster(3);
    h.cut(1, 2);
    h.propose(1, 'a');
    h.stabilize();
    h.node(1).transferLeadership(2);
    expect(h.propose(1, 'b')).toBe('PROPOSAL_DROPPED');
    h.runTicks(12);
    expect(h.node(1).status().role).toBe('leader');
    expect(h.propose(1, 'c')).toMatch(/^\d+\/1$/);
  });
});
