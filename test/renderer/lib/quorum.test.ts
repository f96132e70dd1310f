import { describe, expect, it } from 'vitest';

import type { ClusterStatus } from '../../../preload/contract';
import { isLinkOpen, quorumSides } from '../../../renderer/src/lib/quorum';

function status(faults: Partial<ClusterStatus['faults']> = {}): ClusterStatus {
  const node = (id: number) => ({
    id,
    state: 'running' as const,
    role: 'follower' as const,
    term: 2,
    leader: 1,
    commit: 5,
    applied: 5,
    lastIndex: 5,
    snapshotIndex: 0,
    isVoter: true,
  });
  return {
    leader: 1,
    term: 2,
    commit: 5,
    clusterTime: 0,
    nodes: [node(1), node(2), node(3)],
    voters: [1, 2, 3],
    learners: [],
    faults: { description: '', partition: [], cuts: [], links: [], ...faults },
    targets: [],
  };
}

describe('quorum', () => {
  describe('quorumSides()', () => {
    it('gives the majority side of a partition the power to commit', () => {
      const sides = quorumSides(status({ partition: [[1], [2, 3]] }));
      expect(sides).toEqual([
        { nodes: [1], voters: 1, canCommit: false },
        { nodes: [2, 3], voters: 2, canCommit: true },
      ]);
    });

    it('keeps a node joined through a third when one direction is cut', () => {
      const s = status({ cuts: [{ from: 1, to: 2 }] });
      expect(isLinkOpen(s, 1, 2)).toBe(false);
      expect(isLinkOpen(s, 2, 1)).toBe(true);
      expect(quorumSides(s)).toEqual([
        { nodes: [1, 2, 3], voters: 3, canCommit: true },
      ]);
    });

    it('leaves killed nodes out', () => {
      const s = status();
      s.nodes[0]!.state = 'killed';
      s.nodes[1]!.state = 'killed';
      expect(quorumSides(s)).toEqual([
        { nodes: [3], voters: 1, canCommit: false },
      ]);
    });
  });
});
