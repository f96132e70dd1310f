// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { NodeProgress } from '../../../../engine/sim/invariants/node-progress';

const sample = (
  term: number,
  vote: number,
  commit: number,
  applied = 0,
  lastIndex = 100,
) => ({ term, vote, commit, applied, lastIndex });

function setup() {
  const failures: string[] = [];
  const check = new NodeProgress((f) => failures.push(f));
  return { failures, check };
}

describe('NodeProgress', () => {
  describe('observe()', () => {
    it('accepts progress and a vote cast in a new term', () => {
      const { failures, check } = setup();
      check.observe(1, 0, sample(1, 0, 0));
      check.observe(1, 0, sample(1, 2, 0));
      check.observe(1, 0, sample(2, 3, 4, 4));
      expect(failures).toEqual([]);
    });

    it('flags term, commit and applied going backwards', () => {
      const { failures, check } = setup();
      check.observe(1, 0, sample(3, 0, 5, 5));
      check.observe(1, 0, sample(2, 0, 4, 3));
      expect(failures).toEqual([
        'progress: n1 term went back from 3 to 2',
        'progress: n1 commit went back from 5 to 4',
        'progress: n1 applied went back from 5 to 3',
      ]);
    });

    it('flags a vote changed or cleared within a term', () => {
      const { failures, check } = setup();
      check.observe(1, 0, sample(2, 3, 0));
      check.observe(1, 0, sample(2, 0, 0));
      expect(failures).toEqual([
        'progress: n1 vote in term 2 changed from n3 to n0',
      ]);
    });

    it('flags applied past commit and commit past the log', () => {
      const { failures, check } = setup();
      check.observe(1, 0, sample(1, 0, 2, 3));
      check.observe(2, 0, sample(1, 0, 5, 0, 4));
      expect(failures).toEqual([
        'progress: n1 applied 3 past commit 2',
        'progress: n2 commit 5 past its last index 4',
      ]);
    });

    it('starts over with a new incarnation', () => {
      const { failures, check } = setup();
      check.observe(1, 0, sample(3, 0, 5, 5));
      check.observe(1, 1, sample(3, 0, 5, 1));
      expect(failures).toEqual([]);
    });
  });

  describe('restarted()', () => {
    it('flags a restart below what was persisted', () => {
      const { failures, check } = setup();
      check.restarted(1, 1, { term: 4, vote: 2, commit: 7 }, sample(3, 2, 6));
      check.restarted(2, 1, { term: 4, vote: 2, commit: 7 }, sample(4, 3, 7));
      expect(failures).toEqual([
        'progress: n1 restarted with commit 6 below the persisted 7',
        'progress: n1 restarted in term 3 below the persisted 4',
        'progress: n2 restarted voting n3 in term 4 after persisting a vote for n2',
      ]);
    });
  });
});
