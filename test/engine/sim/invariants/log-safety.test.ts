// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { CommittedLog } from '../../../../engine/sim/invariants/committed-log';
import { LogSafety } from '../../../../engine/sim/invariants/log-safety';
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
  const report = (f: string) => failures.push(f);
  const committed = new CommittedLog(report);
  return { failures, committed, check: new LogSafety(report, committed) };
}

describe('LogSafety', () => {
  describe('leaderCommit()', () => {
    it('accepts a commit onto an entry of the leader term', () => {
      const { failures, check } = setup();
      check.leaderCommit(1, 3, 1, 3, log([1, 2, 3]));
      check.leaderCommit(1, 3, 3, 3, log([1, 2, 3]));
      expect(failures).toEqual([]);
    });

    it('flags a leader committing an old-term entry by counting', () => {
      const { failures, check } = setup();
      check.leaderCommit(1, 4, 1, 2, log([1, 2, 4]));
      expect(failures).toEqual([
        'commit rule: n1, leader of term 4, moved commit to 2 whose entry is of term 2 (§5.4.2)',
      ]);
    });
  });

  describe('appended()', () => {
    it('flags a log cut below its commit index', () => {
      const { failures, check } = setup();
      check.appended(2, 3, 3, 2, log([1, 1]));
      expect(failures).toEqual([
        'log safety: n2 cut its log to 2 below its commit index 3',
      ]);
    });

    it('flags a committed index overwritten', () => {
      const { failures, check, committed } = setup();
      committed.observe(1, 2, 1, undefined, 1);
      check.appended(2, 3, 2, 2, log([1, 3]));
      expect(failures).toEqual([
        'log safety: n2 overwrote committed index 2 (term 1) with term 3',
      ]);
    });

    it('flags entries dropped after acknowledging them in the same term', () => {
      const { failures, check } = setup();
      check.acknowledged(2, 3, 4);
      check.appended(2, 3, 0, 3, log([1, 3, 3]));
      expect(failures).toEqual([
        'log safety: n2 cut its log to 3 in term 3 after acknowledging 4 to its leader',
      ]);
    });

    it('lets a new term truncate what an old leader got acknowledged', () => {
      const { failures, check } = setup();
      check.acknowledged(2, 3, 4);
      check.appended(2, 4, 0, 3, log([1, 3, 4]));
      check.acknowledged(3, 3, 4);
      check.forget(3);
      check.appended(3, 3, 0, 3, log([1, 3, 3]));
      expect(failures).toEqual([]);
    });
  });
});
