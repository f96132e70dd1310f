// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { Entry } from '../../../engine/raft/types';
import { holdsEntry, LogMirror } from '../../../engine/sim/log-view';

function entries(from: number, terms: number[]): Entry[] {
  return terms.map((term, i) => ({
    index: from + i,
    term,
    type: 'normal',
    data: new Uint8Array(),
  }));
}

const conf = { voters: [1], learners: [] };

describe('LogMirror', () => {
  describe('append()', () => {
    it('replaces everything from the first appended index', () => {
      const log = new LogMirror();
      log.append(entries(1, [1, 1, 1, 1]));
      log.append(entries(3, [2]));
      expect(log.lastIndex).toBe(3);
      expect(log.termAt(3)).toBe(2);
      expect(log.termAt(4)).toBeUndefined();
    });

    it('refuses entries that would leave a hole', () => {
      const log = new LogMirror();
      log.append(entries(1, [1, 1]));
      log.append(entries(4, [1]));
      expect([log.lastIndex, log.gapAt]).toEqual([2, 4]);
    });

    it('skips entries already folded into the snapshot', () => {
      const log = new LogMirror();
      log.installSnapshot({ index: 5, term: 2, conf });
      log.append(entries(4, [2, 2, 3]));
      expect(log.lastIndex).toBe(6);
      expect(log.termAt(5)).toBe(2);
      expect(log.termAt(6)).toBe(3);
    });
  });

  describe('installSnapshot()', () => {
    it('keeps a matching suffix and drops a conflicting one', () => {
      const log = new LogMirror();
      log.append(entries(1, [1, 1, 2, 2]));
      log.installSnapshot({ index: 3, term: 2, conf });
      expect([log.snapIndex, log.lastIndex]).toEqual([3, 4]);

      log.installSnapshot({ index: 4, term: 3, conf });
      expect([log.snapIndex, log.snapTerm, log.lastIndex]).toEqual([4, 3, 4]);
    });
  });

  describe('compact()', () => {
    it('folds a prefix and answers holdsEntry below it', () => {
      const log = new LogMirror();
      log.append(entries(1, [1, 1, 2, 2]));
      log.compact(2);
      expect(log.snapIndex).toBe(2);
      expect(holdsEntry(log, 1, 9)).toBe(true);
      expect(holdsEntry(log, 2, 1)).toBe(true);
      expect(holdsEntry(log, 3, 2)).toBe(true);
      expect(holdsEntry(log, 3, 1)).toBe(false);
      expect(holdsEntry(log, 5, 2)).toBe(false);
    });
  });

  describe('fromPersisted()', () => {
    it('rebuilds the log a restarted node loads', () => {
      const log = LogMirror.fromPersisted({
        hardState: { term: 3, vote: 0, commit: 0 },
        snapshot: { meta: { index: 2, term: 1, conf }, data: new Uint8Array() },
        entries: entries(1, [1, 1, 3]),
      });
      expect([log.snapIndex, log.lastIndex, log.termAt(3)]).toEqual([2, 3, 3]);
    });
  });
});
