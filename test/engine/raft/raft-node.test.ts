// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Harness } from './harness';
import { electedCluster } from './scenarios';
import { CapturingLogger } from '../../../engine/ports/logger';
import { SeededRng } from '../../../engine/ports/rng';
import { RaftNode } from '../../../engine/raft/raft-node';
import type { Message } from '../../../engine/raft/types';

const EMPTY = { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] };

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('RaftNode', () => {
  describe('constructor()', () => {
    it('refuses out-of-range settings with INVALID_CONFIG', () => {
      const base = {
        id: 1,
        electionTicks: 10,
        heartbeatTicks: 1,
        rng: new SeededRng(1),
      };
      expect(
        codeOf(() => new RaftNode({ ...base, heartbeatTicks: 10 }, EMPTY)),
      ).toBe('INVALID_CONFIG');
      expect(codeOf(() => new RaftNode({ ...base, id: 0 }, EMPTY))).toBe(
        'INVALID_CONFIG',
      );
      expect(
        codeOf(() => new RaftNode({ ...base, maxSizePerMsg: 0 }, EMPTY)),
      ).toBe('INVALID_CONFIG');
    });

    it('never campaigns when it starts empty without a membership', () => {
      const node = new RaftNode(
        { id: 4, electionTicks: 10, heartbeatTicks: 1, rng: new SeededRng(4) },
        EMPTY,
      );
      for (let i = 0; i < 100; i++) {
        node.tick();
      }
      expect(node.status()).toMatchObject({ role: 'learner', term: 0 });
      expect(node.hasReady()).toBe(false);
    });
  });

  describe('tick()', () => {
    it('draws each election timeout in [electionTicks, 2 * electionTicks)', () => {
      const seen = new Set<number>();
      for (let seed = 0; seed < 60; seed++) {
        const rng = new SeededRng(seed);
        const timed = new RaftNode(
          {
            id: 1,
            electionTicks: 10,
            heartbeatTicks: 1,
            rng,
            initialConf: { voters: [1, 2, 3], learners: [] },
          },
          EMPTY,
        );
        let ticks = 0;
        while (timed.status().role === 'follower' && ticks < 100) {
          timed.tick();
          ticks += 1;
        }
        expect(ticks).toBeGreaterThanOrEqual(10);
        expect(ticks).toBeLessThan(20);
        seen.add(ticks);
      }
      // the draw spreads nodes apart, which is what avoids split votes
      expect(seen.size).toBeGreaterThan(5);
    });
  });

  describe('step()', () => {
    it('drops malformed messages and messages for other nodes without throwing', () => {
      const logger = new CapturingLogger();
      const node = new RaftNode(
        {
          id: 1,
          electionTicks: 10,
          heartbeatTicks: 1,
          rng: new SeededRng(1),
          logger,
          initialConf: { voters: [1, 2, 3], learners: [] },
        },
        EMPTY,
      );
      fc.assert(
        fc.property(fc.anything(), (garbage) => {
          node.step(garbage as Message);
        }),
      );
      const forOther: Message = {
        type: 'heartbeat',
        from: 2,
        to: 9,
        term: 3,
        logTerm: 0,
        index: 0,
        entries: [],
        commit: 0,
        reject: false,
        rejectHint: 0,
        hintTerm: 0,
        context: 0,
      };
      node.step(forOther);
      expect(node.status().term).toBe(0);
      expect(
        logger.lines.some(
          (l) => l.message === 'dropped message for another node',
        ),
      ).toBe(true);
    });
  });

  describe('propose()', () => {
    it('throws NOT_LEADER naming the leader on a follower', () => {
      const h = electedCluster(3);
      let error: unknown;
      try {
        h.node(2).propose(new Uint8Array([1]));
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'NOT_LEADER', leader: 1 });
      expect(String((error as Error).message)).toContain('leader: 1');
    });

    it('throws PROPOSAL_DROPPED past the uncommitted byte limit', () => {
      const h = new Harness();
      h.addNodes([1, 2, 3], { voters: [1, 2, 3], learners: [] });
      h.node(1).campaign();
      h.stabilize();
      h.isolate(1);
      const big = new Uint8Array(40 * 1024 * 1024);
      expect(h.node(1).propose(big).index).toBe(2);
      expect(codeOf(() => h.node(1).propose(big))).toBe('PROPOSAL_DROPPED');
    });
  });

  describe('proposeConfChange()', () => {
    it('refuses changes that make no sense with INVALID_CONF_CHANGE', () => {
      const h = electedCluster(3);
      const node = h.node(1);
      for (const change of [
        { type: 'addVoter', node: 2 },
        { type: 'promote', node: 3 },
        { type: 'remove', node: 7 },
        { type: 'addLearner', node: 0 },
      ] as const) {
        expect(codeOf(() => node.proposeConfChange(change))).toBe(
          'INVALID_CONF_CHANGE',
        );
      }
      expect(
        codeOf(() =>
          h.node(2).proposeConfChange({ type: 'addLearner', node: 4 }),
        ),
      ).toBe('NOT_LEADER');
    });
  });

  describe('ready()', () => {
    it('hands out everything since the last advance(), again until advanced', () => {
      const h = electedCluster(3);
      const node = h.node(1);
      node.propose(new Uint8Array([1]));
      const first = node.ready();
      node.propose(new Uint8Array([2]));
      const second = node.ready();
      expect(second.entries.map((e) => e.index)).toEqual([2, 3]);
      expect(second.messages.length).toBeGreaterThanOrEqual(
        first.messages.length,
      );
      node.advance(second);
      expect(node.ready().entries).toEqual([]);
    });
  });

  describe('compact()', () => {
    it('keeps the snapshot for followers and refuses one that does not match the log', () => {
      const h = electedCluster(3, { compactionTrailingEntries: 1 });
      for (const data of ['a', 'b', 'c']) {
        h.propose(1, data);
      }
      h.stabilize();
      const node = h.node(1);
      const meta = node.snapshotMeta(3);
      expect(meta).toEqual({
        index: 3,
        term: 1,
        conf: { voters: [1, 2, 3], learners: [] },
      });
      const data = new Uint8Array(0);
      expect(
        codeOf(() => node.compact({ meta: { ...meta, term: 2 }, data })),
      ).toBe('INVALID_SNAPSHOT');
      expect(
        codeOf(() => node.compact({ meta: { ...meta, index: 9 }, data })),
      ).toBe('INVALID_SNAPSHOT');

      node.compact({ meta, data });
      expect(node.status()).toMatchObject({ snapshotIndex: 3, firstIndex: 3 });
      expect(codeOf(() => node.snapshotMeta(1))).toBe('COMPACTED');
    });
  });

  describe('learners', () => {
    it('receive the log but never campaign, and their votes never count', () => {
      const h = new Harness();
      h.addNodes([1, 2, 3], { voters: [1, 2], learners: [3] });
      h.node(1).campaign();
      h.stabilize();
      h.propose(1, 'a');
      h.stabilize();
      expect(h.node(3).status()).toMatchObject({ role: 'learner', commit: 2 });

      h.isolate(1);
      h.isolate(2);
      h.runTicks(60);
      expect(h.node(3).status()).toMatchObject({ role: 'learner', term: 1 });

      // node 2 alone with the learner: the learner's grant is no majority
      h.heal();
      h.crash(1);
      h.isolate(1);
      h.runTicks(80);
      expect(h.node(2).status().role).not.toBe('leader');
    });
  });

  describe('membership changes', () => {
    it('let a node demoted by an uncommitted change still win and commit it', () => {
      // voters 1 and 3; 1 demotes itself but only it holds the entry, so
      // 3 (behind) cannot win, and 1 must be able to campaign
      const h = new Harness();
      h.addNodes([1, 2, 3], { voters: [1, 3], learners: [2] });
      h.node(1).campaign();
      h.stabilize();
      h.cut(1, 3);
      h.node(1).proposeConfChange({ type: 'addLearner', node: 1 });
      h.propose(1, 'x');
      h.runUntil(() => h.node(1).status().role !== 'leader', 50);
      expect(h.node(1).status().conf.voters).toEqual([3]);

      h.heal();
      expect(h.runUntil(() => h.node(3).status().role === 'leader', 300)).toBe(
        true,
      );
      expect(h.node(3).status().conf).toEqual({
        voters: [3],
        learners: [1, 2],
      });
      expect(h.peer(3).applied.map((e) => e.data)).toContain('x');
      expect(h.violations).toEqual([]);
    });
  });
});
