import { Harness } from './harness';
import type { PersistedState } from '../../../engine/ports/storage';
import { SeededRng } from '../../../engine/ports/rng';
import {
  RaftNode,
  type Ready,
  type TestingBugs,
} from '../../../engine/raft/raft-node';
import type { Entry, Message, NodeId } from '../../../engine/raft/types';

/**
 * Scripted schedules for the known-bug tests (reference/raft.md §2) that
 * also serve the mutation tests: each runs with the safe core, or with one
 * testing switch turned on, and leaves the harness for the checks.
 */

const bytes = new TextEncoder();

/** A cluster of `n` voters, 1..n, that elected node 1. */
export function electedCluster(
  n: number,
  options: ConstructorParameters<typeof Harness>[0] = {},
): Harness {
  const h = new Harness(options);
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  h.addNodes(ids, { voters: ids, learners: [] });
  h.node(1).campaign();
  h.stabilize();
  return h;
}

/** Campaigns `id` until it leads (failed rounds teach it newer terms). */
export function campaignUntilLeader(h: Harness, id: NodeId): void {
  for (let attempt = 0; attempt < 5; attempt++) {
    h.node(id).campaign();
    h.stabilize();
    if (h.node(id).status().role === 'leader') {
      return;
    }
  }
  throw new Error(`node ${id} did not win`);
}

/**
 * Paper Fig. 8 on five nodes (reference/raft.md §2 bug 1): an entry of an
 * old term reaches a majority under a later leader, which crashes before
 * any entry of its own term does; a node that never had the old entry then
 * wins and overwrites it. Safe only if the old entry was never committed.
 */
export function figure8(bugs: TestingBugs = {}): Harness {
  const h = new Harness({
    preVote: false,
    checkQuorum: false,
    maxSizePerMsg: 1,
    testingBugs: bugs,
  });
  const ids = [1, 2, 3, 4, 5];
  h.addNodes(ids, { voters: ids, learners: [] });
  h.node(1).campaign();
  h.stabilize();

  // (a) leader 1 gets x (2/1) to node 2 only
  for (const to of [3, 4, 5]) {
    h.cut(1, to);
  }
  h.propose(1, 'x');
  h.stabilize();
  h.heal();

  // (b) 1 crashes; 5 wins term 2 with 3 and 4; its entry 2/2 stays local
  h.crash(1);
  h.node(5).campaign();
  h.processReady(5);
  h.deliver();
  [2, 3, 4].forEach((id) => h.processReady(id));
  h.deliver({ to: 5 });
  h.isolate(5);
  h.processReady(5);
  h.crash(5);
  h.heal();

  // (c) 1 returns and wins term 3; x reaches node 3 but 1's own entry 3/3
  // reaches only node 2 before 1 crashes (node 3 refuses the first probe,
  // which carries 3/3, as it lacks x; later copies are lost)
  h.restart(1);
  h.cut(1, 4);
  let copies = 0;
  h.dropWhen = (m) =>
    m.from === 1 &&
    m.to === 3 &&
    m.entries.some((e) => e.index >= 3) &&
    copies++ > 0;
  campaignUntilLeader(h, 1);
  h.crash(1);
  h.dropWhen = undefined;
  h.heal();

  // (d) 5 returns and wins with 3 and 4: its 2/2 replaces x everywhere
  h.restart(5);
  campaignUntilLeader(h, 5);
  h.propose(5, 'y');
  h.stabilize();
  return h;
}

/**
 * Two candidates in one term; node 3 grants 1, crashes before the vote is
 * durable, restarts and grants 2 (reference/raft.md §2 bug 2).
 */
export function voteLostInCrash(bugs: TestingBugs = {}): Harness {
  const h = new Harness({
    preVote: false,
    checkQuorum: false,
    testingBugs: bugs,
  });
  h.addNodes([1, 2, 3], { voters: [1, 2, 3], learners: [] });
  h.node(1).campaign();
  h.node(2).campaign();
  h.processReady(1);
  h.processReady(2);
  h.deliver({ from: 1, to: 3 });
  h.processReady(3, false);
  h.crash(3);
  h.restart(3);
  h.deliver({ from: 2, to: 3 });
  h.stabilize();
  return h;
}

/**
 * A follower's hard state (term 2, vote) is still volatile when the entry
 * of term 2 it acknowledged is on disk; it crashes and comes back at term 1,
 * where the deposed leader of term 1 can overwrite that committed entry
 * (reference/raft.md §2 bug 5). `reorder` turns the storage fault on.
 */
export function reorderedWrites(reorder: boolean): Harness {
  const h = new Harness({ preVote: false, checkQuorum: false });
  h.addNodes([1, 2, 3], { voters: [1, 2, 3], learners: [] });
  h.node(1).campaign();
  h.stabilize();
  h.propose(1, 'a');
  h.stabilize();

  h.isolate(1);
  h.propose(1, 'stale');
  h.stabilize([1]);

  h.peer(3).store.reorderHardState = reorder;
  h.node(2).campaign();
  h.stabilize([2, 3]);
  h.crash(3);
  h.restart(3);

  h.heal();
  h.isolate(2);
  h.tick(1);
  h.stabilize([1, 3]);
  return h;
}

/** An append from `from` at `term`, for tests that craft traffic. */
export function appendMessage(
  from: NodeId,
  to: NodeId,
  term: number,
  prev: [index: number, term: number],
  entries: Entry[],
  commit: number,
): Message {
  return {
    type: 'app',
    from,
    to,
    term,
    logTerm: prev[1],
    index: prev[0],
    entries,
    commit,
    reject: false,
    rejectHint: 0,
    hintTerm: 0,
    context: 0,
  };
}

/** A normal entry holding `data` as text. */
export function entry(index: number, term: number, data: string): Entry {
  return { index, term, type: 'normal', data: bytes.encode(data) };
}

/**
 * Node 2 gets a and b in two pipelined appends and acknowledges b, which
 * commits; then a copy of the first append arrives again, before node 2
 * learns of the commit (reference/raft.md §2 bug 10).
 */
export function staleAppendReplay(bugs: TestingBugs = {}): Harness {
  const h = electedCluster(3, { testingBugs: bugs });
  h.cut(1, 3);
  h.propose(1, 'a');
  h.processReady(1);
  const first = h.queue.find((m) => m.to === 2 && m.entries.length > 0);
  if (first === undefined) {
    throw new Error('no append to replay');
  }
  h.propose(1, 'b');
  h.processReady(1);
  h.deliver({ to: 2 });
  h.processReady(2);
  h.deliver({ to: 1 });
  h.processReady(1);
  // the copy overtakes the leader's commit notice
  h.queue.unshift({ ...first, entries: first.entries.slice() });
  h.stabilize();
  return h;
}

/** A node built straight from `persisted`, for message-level tests. */
export function nodeFrom(
  id: NodeId,
  persisted: PersistedState,
  voters: NodeId[],
  bugs: TestingBugs = {},
): RaftNode {
  return new RaftNode(
    {
      id,
      electionTicks: 10,
      heartbeatTicks: 1,
      rng: new SeededRng(id),
      initialConf: { voters, learners: [] },
      testingBugs: bugs,
    },
    persisted,
  );
}

/** Hands out and acknowledges one Ready, as a driver would. */
export function drain(node: RaftNode): Ready {
  const ready = node.ready();
  node.advance(ready);
  return ready;
}
