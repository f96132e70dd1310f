// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  appendMessage,
  drain,
  electedCluster,
  entry,
  figure8,
  nodeFrom,
  staleAppendReplay,
} from './scenarios';
import { Progress } from '../../../engine/raft/progress';
import type { Message } from '../../../engine/raft/types';

/** Node 2 of {1,2,3} at term 1 holding `entries`, commit `commit`. */
function follower(entries = [entry(1, 1, 'a')], commit = 1, term = 1) {
  const node = nodeFrom(
    2,
    { hardState: { term, vote: 1, commit }, entries },
    [1, 2, 3],
  );
  drain(node);
  return node;
}

function reply(node: ReturnType<typeof follower>): Message | undefined {
  const ready = drain(node);
  return [...ready.messages, ...ready.messagesAfterPersist][0];
}

describe('RaftNode log safety (reference/raft.md §2)', () => {
  it('bug 1 (logcabin#44, Fig. 8): never commits an old-term entry by counting replicas', () => {
    const h = figure8();
    expect(h.violations).toEqual([]);
    // x (2/1) sat on a majority under leader 1 of term 3 and still was
    // never applied anywhere: node 5's entry legitimately replaced it
    expect(h.committed.get(2)?.data).toBe('leader');
    expect(h.underReplicated([1, 2, 3, 4, 5])).toEqual([]);
  });

  it('bug 10 (akka-raft#66): a stale or duplicate append never truncates matching entries', () => {
    const node = follower();
    node.step(
      appendMessage(1, 2, 1, [1, 1], [entry(2, 1, 'b'), entry(3, 1, 'c')], 1),
    );
    expect(reply(node)).toMatchObject({ type: 'appResp', index: 3 });

    // the older append, delayed, arrives after the newer one
    node.step(appendMessage(1, 2, 1, [1, 1], [entry(2, 1, 'b')], 1));
    expect(node.status().lastIndex).toBe(3);
    expect(reply(node)).toMatchObject({ reject: false, index: 2 });

    const h = staleAppendReplay();
    expect(h.underReplicated([1, 2, 3])).toEqual([]);
    expect(h.node(2).status().lastIndex).toBe(h.node(1).status().lastIndex);
  });

  it('bug 11 (copycat#265): commit never passes the last index verified against the leader', () => {
    // node 2 holds 2/1 and 3/1 from an old leader; the new leader of term
    // 2 has something else there
    const node = follower([
      entry(1, 1, 'a'),
      entry(2, 1, 'x'),
      entry(3, 1, 'y'),
    ]);
    const heartbeat: Message = {
      ...appendMessage(3, 2, 2, [0, 0], [], 3),
      type: 'heartbeat',
    };
    node.step(heartbeat);
    expect(node.status().commit).toBe(1);

    node.step(appendMessage(3, 2, 2, [1, 1], [], 3));
    expect(node.status().commit).toBe(1);
    expect(drain(node).committedEntries).toEqual([]);

    node.step(appendMessage(3, 2, 2, [1, 1], [entry(2, 2, 'z')], 3));
    expect(node.status().commit).toBe(2);
  });

  it('bug 12 (etcd PR #1207): stale rejections never move next to match or below', () => {
    const h = electedCluster(3);
    for (const data of ['a', 'b', 'c']) {
      h.propose(1, data);
    }
    h.stabilize();
    const progress = () => h.node(1).status().progress![2]!;
    expect(progress().match).toBe(4);

    // a rejection of an old probe, delivered late
    const stale: Message = {
      ...appendMessage(2, 1, 1, [2, 1], [], 0),
      type: 'appResp',
      reject: true,
      rejectHint: 1,
      hintTerm: 1,
    };
    h.node(1).step(stale);
    expect(progress().match).toBe(4);
    expect(progress().next).toBeGreaterThan(4);
  });

  it('bug 12 (etcd-io/raft PR #149): progress keeps match < next and match monotone under any reply order', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('ack'), index: fc.nat(40) }),
      fc.record({
        kind: fc.constant('reject'),
        index: fc.nat(40),
        hint: fc.nat(40),
      }),
      fc.record({ kind: fc.constant('send'), index: fc.nat(40) }),
      fc.record({ kind: fc.constant('probe'), index: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const pr = new Progress(11, 4, 1000);
        let match = 0;
        for (const o of ops) {
          if (o.kind === 'ack') {
            if (pr.maybeUpdate(o.index) && pr.state === 'probe') {
              pr.becomeReplicate();
            }
          } else if (o.kind === 'reject') {
            const hint = 'hint' in o ? o.hint : 0;
            if (pr.maybeDecrTo(o.index, hint) && pr.state === 'replicate') {
              pr.becomeProbe();
            }
          } else if (o.kind === 'send') {
            if (!pr.isPaused()) {
              pr.sentEntries(Math.max(pr.next, o.index), 1);
            }
          } else {
            pr.becomeProbe();
          }
          expect(pr.match).toBeLessThan(pr.next);
          expect(pr.match).toBeGreaterThanOrEqual(match);
          match = pr.match;
        }
      }),
    );
  });

  it('bug 19 (openraft commit.md): a new leader commit notice never applies an old leader entry', () => {
    // node 2 holds x (2/1) from leader 1; leader 3 of term 2 committed its
    // own 2/2 and says so in a heartbeat that overtakes its append
    const node = follower([entry(1, 1, 'a'), entry(2, 1, 'x')]);
    node.step({ ...appendMessage(3, 2, 2, [0, 0], [], 2), type: 'heartbeat' });
    expect(drain(node).committedEntries).toEqual([]);

    // then a late append from the deposed leader 1 repeats x
    node.step(appendMessage(1, 2, 1, [1, 1], [entry(2, 1, 'x')], 2));
    expect(node.status().commit).toBe(1);

    node.step(appendMessage(3, 2, 2, [1, 1], [entry(2, 2, 'z')], 2));
    const applied = drain(node).committedEntries;
    expect(applied.map((e) => `${e.index}/${e.term}`)).toEqual(['2/2']);
  });
});
