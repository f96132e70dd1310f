// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { Harness } from './harness';
import { electedCluster } from './scenarios';
import type { Message } from '../../../engine/raft/types';

/** Read states and drops that `id` handed out, by processing its Readies. */
function reads(h: Harness, id: number) {
  const states: { context: number; index: number }[] = [];
  const dropped: number[] = [];
  const node = h.node(id);
  while (node.hasReady()) {
    const ready = node.ready();
    states.push(...ready.readStates);
    dropped.push(...ready.droppedReads);
    h.enqueue([...ready.messages, ...ready.messagesAfterPersist]);
    h.peer(id).store.stageReady(ready);
    h.peer(id).store.sync();
    node.advance(ready);
  }
  return { states, dropped };
}

describe('RaftNode linearizable reads (reference/raft.md §2)', () => {
  it('bug 6 (etcd#7331): a new leader answers a read only after an entry of its term commits', () => {
    const h = new Harness();
    h.addNodes([1, 2, 3], { voters: [1, 2, 3], learners: [] });
    h.node(1).campaign();
    // pre-vote and vote rounds, up to the moment 1 is leader
    for (let i = 0; i < 4; i++) {
      h.processReady(1);
      h.processReady(2);
      h.processReady(3);
      h.deliver();
    }
    expect(h.node(1).status()).toMatchObject({ role: 'leader', commit: 0 });

    h.node(1).readIndex(7);
    expect(reads(h, 1).states).toEqual([]);

    h.stabilize([2, 3]);
    h.deliver({ to: 1 });
    let result = reads(h, 1);
    for (let i = 0; i < 5 && result.states.length === 0; i++) {
      h.stabilize([2, 3]);
      h.deliver({ to: 1 });
      result = reads(h, 1);
    }
    expect(result.states).toEqual([{ context: 7, index: 1 }]);
  });

  it('bug 7 (etcd-io/raft PR #397): late and duplicate heartbeat replies never confirm a newer read', () => {
    const h = electedCluster(5);
    h.node(1).readIndex(5);
    reads(h, 1);
    // round 1 heartbeats reach everyone; hold the replies
    h.deliver({ from: 1 });
    for (const id of [2, 3, 4, 5]) {
      h.processReady(id);
    }
    const late = h.queue.filter((m) => m.type === 'heartbeatResp');
    h.queue = h.queue.filter((m) => m.type !== 'heartbeatResp');

    // a write commits, then the client retries the read with the same context
    h.propose(1, 'w');
    h.stabilize();
    const { commit } = h.node(1).status();
    h.node(1).readIndex(5);
    reads(h, 1);
    h.queue = h.queue.filter((m) => m.type !== 'heartbeat');

    // the late replies of round 1, each delivered three times
    for (const copy of [late, late, late]) {
      for (const m of copy) {
        h.node(1).step({ ...m } as Message);
      }
    }
    const answered = reads(h, 1).states;
    expect(answered).toEqual([{ context: 5, index: 1 }]);

    // only replies to round 2 (here a heartbeat) confirm the retry, at
    // the newer commit
    h.node(1).tick();
    h.stabilize();
    expect(h.trace).toContain(`  read ready: ctx=5 index=${commit}`);
  });

  it('bug 7: one voter replying many times never makes a quorum on its own', () => {
    const h = electedCluster(5);
    h.node(1).readIndex(9);
    reads(h, 1);
    h.deliver({ to: 2 });
    h.processReady(2);
    const [ack] = h.queue.filter((m) => m.type === 'heartbeatResp');
    for (let i = 0; i < 4; i++) {
      h.node(1).step({ ...ack! });
    }
    expect(reads(h, 1).states).toEqual([]);
  });

  it('bug 8 (tikv#9208): a follower read right after a leadership transfer is not stale', () => {
    const h = electedCluster(3);
    for (const data of ['a', 'b']) {
      h.propose(1, data);
    }
    h.stabilize();
    const lastAcked = h.node(1).status().commit;

    h.node(1).transferLeadership(2);
    // run until 2 leads and 3 heard of it, but 2's entry is not committed
    for (let i = 0; i < 20 && h.node(3).status().leader !== 2; i++) {
      for (const id of [1, 2, 3]) {
        h.processReady(id);
      }
      h.deliver();
    }
    expect(h.node(2).status().commit).toBeLessThan(
      h.node(2).status().lastIndex,
    );

    h.node(3).readIndex(4);
    h.stabilize();
    const { states } = reads(h, 3);
    const all = [
      ...states,
      ...h.trace.filter((l) => l.includes('ctx=4 index')),
    ];
    expect(all.length).toBeGreaterThan(0);
    const line = h.trace.find((l) => l.includes('read ready: ctx=4'));
    const index = Number(/index=(\d+)/.exec(line ?? '')?.[1]);
    expect(index).toBeGreaterThan(lastAcked);
  });

  it('bug 9 (d-engine#381): a leader cut off in a minority never serves a read', () => {
    const h = electedCluster(3);
    h.isolate(1);
    h.runUntil(
      () =>
        h.node(2).status().role === 'leader' ||
        h.node(3).status().role === 'leader',
      100,
    );
    const leader = h.node(2).status().role === 'leader' ? 2 : 3;
    h.propose(leader, 'new');
    h.stabilize();

    // node 1 may still think it leads; the read must not come back
    h.node(1).readIndex(3);
    const seen = { states: [] as unknown[], dropped: [] as number[] };
    for (let i = 0; i < 40; i++) {
      h.node(1).tick();
      const result = reads(h, 1);
      seen.states.push(...result.states);
      seen.dropped.push(...result.dropped);
    }
    expect(seen.states).toEqual([]);
    expect(seen.dropped).toEqual([3]);
  });
});
