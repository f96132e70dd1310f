// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { Entry } from '../../../../engine/raft/types';
import {
  CommittedLog,
  digestEntry,
} from '../../../../engine/sim/invariants/committed-log';
import { LogMirror } from '../../../../engine/sim/log-view';

function log(terms: number[]): LogMirror {
  const mirror = new LogMirror();
  mirror.append(
    terms.map((term, i) => ({
      index: i + 1,
      term,
      type: 'normal',
      data: new Uint8Array(),
    })),
  );
  return mirror;
}

function setup() {
  const failures: string[] = [];
  const check = new CommittedLog((f) => failures.push(f));
  return { failures, check };
}

describe('CommittedLog', () => {
  describe('observe()', () => {
    it('accepts the same committed entry seen by several nodes', () => {
      const { failures, check } = setup();
      check.observe(1, 1, 1, 7, 1);
      check.observe(2, 1, 1, 7, 2);
      check.observe(3, 1, 1, undefined, 2);
      expect(failures).toEqual([]);
      expect(check.highestIndex).toBe(1);
    });

    it('flags a committed index whose term changed', () => {
      const { failures, check } = setup();
      check.observe(1, 4, 2, 7, 2);
      check.observe(2, 4, 3, 7, 3);
      expect(failures).toEqual([
        'committed log: n2 has term 3 at committed index 4, where term 2 was committed',
      ]);
    });

    it('flags a committed index whose data changed', () => {
      const { failures, check } = setup();
      const entry: Entry = {
        index: 1,
        term: 1,
        type: 'normal',
        data: new Uint8Array([1]),
      };
      check.observe(1, 1, 1, digestEntry(entry), 1);
      const other = { ...entry, data: new Uint8Array([2]) };
      check.observe(2, 1, 1, digestEntry(other), 1);
      expect(failures).toEqual([
        'committed log: n2 has other data at committed index 1 (term 1)',
      ]);
    });
  });

  describe('observeLeader()', () => {
    it('flags a new leader that lacks an entry committed earlier', () => {
      const { failures, check } = setup();
      check.observe(1, 1, 1, undefined, 1);
      check.observe(1, 2, 1, undefined, 1);
      check.observeLeader(2, 2, log([1, 2]));
      check.observeLeader(3, 3, log([1, 1, 3]));
      expect(failures).toEqual([
        'leader completeness: n2, leader of term 2, lacks (2, term 1) committed by term 1',
      ]);
    });

    it('flags an earlier leader when an entry turns out committed later', () => {
      const { failures, check } = setup();
      check.observeLeader(3, 2, log([1]));
      // committed in term 2, noticed only after the term 3 leader won
      check.observe(1, 2, 2, undefined, 2);
      expect(failures).toEqual([
        'leader completeness: n2, leader of term 3, lacks (2, term 2) committed by term 2',
      ]);
    });

    it('does not hold a leader of the committing term to its own commit', () => {
      const { failures, check } = setup();
      check.observeLeader(2, 1, log([1]));
      check.observe(1, 2, 2, undefined, 2);
      check.observe(1, 3, 1, undefined, 4);
      expect(failures).toEqual([]);
    });
  });
});
