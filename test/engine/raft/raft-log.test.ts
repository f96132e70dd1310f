// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { RaftLog } from '../../../engine/raft/raft-log';
import type { Entry } from '../../../engine/raft/types';

const NO_DATA = new Uint8Array(0);
const CONF = { voters: [1], learners: [] };

/** The log as a plain array of terms after a compaction point. */
interface Model {
  offset: number;
  offsetTerm: number;
  terms: number[];
  committed: number;
  persisted: number;
}

function last(m: Model): number {
  return m.offset + m.terms.length;
}

function termOf(m: Model, index: number): number | undefined {
  return index === m.offset ? m.offsetTerm : m.terms[index - m.offset - 1];
}

type Op =
  | { kind: 'append'; at: number; terms: number[] }
  | { kind: 'commit'; at: number }
  | { kind: 'stable'; at: number; wrongTerm: boolean }
  | { kind: 'compact'; at: number }
  | { kind: 'restore'; ahead: number; term: number; matching: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('append' as const),
    at: fc.nat(1000),
    terms: fc.array(fc.nat(2), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('commit' as const), at: fc.nat(1000) }),
  fc.record({
    kind: fc.constant('stable' as const),
    at: fc.nat(1000),
    wrongTerm: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('compact' as const), at: fc.nat(1000) }),
  fc.record({
    kind: fc.constant('restore' as const),
    ahead: fc.nat(5),
    term: fc.nat(3),
    matching: fc.boolean(),
  }),
);

/** Applies `o` to both; picks only operations the log's contract allows. */
function apply(log: RaftLog, m: Model, o: Op): void {
  const lastIndex = last(m);
  switch (o.kind) {
    case 'append': {
      const lo = m.committed + 1;
      const start = lo + (o.at % (lastIndex + 2 - lo));
      // terms never decrease along a log
      let term = termOf(m, start - 1) ?? m.offsetTerm;
      const entries: Entry[] = o.terms.map((step, i) => {
        term += step;
        return { index: start + i, term, type: 'normal', data: NO_DATA };
      });
      log.append(entries);
      m.terms = m.terms.slice(0, start - m.offset - 1);
      m.terms.push(...entries.map((e) => e.term));
      m.persisted = Math.min(m.persisted, start - 1);
      return;
    }
    case 'commit': {
      const at = o.at % (lastIndex + 1);
      log.commitTo(at);
      m.committed = Math.max(m.committed, at);
      return;
    }
    case 'stable': {
      const at = m.offset + (o.at % (lastIndex - m.offset + 1));
      const term = termOf(m, at)! + (o.wrongTerm ? 1 : 0);
      log.stableTo(at, term);
      if (!o.wrongTerm && at > m.persisted) {
        m.persisted = at;
      }
      return;
    }
    case 'compact': {
      const top = Math.min(m.committed, m.persisted);
      if (top <= m.offset) {
        return;
      }
      const at = m.offset + 1 + (o.at % (top - m.offset));
      log.compact(at);
      m.offsetTerm = termOf(m, at)!;
      m.terms = m.terms.slice(at - m.offset);
      m.offset = at;
      return;
    }
    case 'restore': {
      const index = m.committed + 1 + o.ahead;
      const held = termOf(m, index);
      const term =
        o.matching && held !== undefined ? held : Math.max(o.term, 1) + 9;
      log.restore({ meta: { index, term, conf: CONF }, data: NO_DATA });
      m.terms = held === term ? m.terms.slice(index - m.offset) : [];
      m.offset = index;
      m.offsetTerm = term;
      m.committed = index;
      m.persisted = index;
      return;
    }
  }
}

function check(log: RaftLog, m: Model): void {
  expect(log.firstIndex()).toBe(m.offset + 1);
  expect(log.lastIndex()).toBe(last(m));
  expect(log.lastTerm()).toBe(termOf(m, last(m)));
  for (let i = m.offset - 2; i <= last(m) + 2; i++) {
    expect(log.term(i)).toBe(i < m.offset ? undefined : termOf(m, i));
  }
  expect(log.committed).toBe(m.committed);
  expect(log.unstableEntries().map((e) => e.term)).toEqual(
    m.terms.slice(Math.max(0, m.persisted - m.offset)),
  );
  // fast backtracking: the highest index at or below i with term <= t
  for (let i = m.offset; i <= last(m) + 1; i++) {
    for (const t of [0, 1, 3, 9]) {
      let j = Math.min(i, last(m));
      while (j > m.offset && termOf(m, j)! > t) {
        j -= 1;
      }
      expect(log.findConflictByTerm(i, t)).toEqual({
        index: j,
        term: termOf(m, j),
      });
    }
  }
}

describe('RaftLog', () => {
  it('matches an array model under append, truncate, commit, persist, compact and restore', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const log = new RaftLog(
          { meta: { index: 0, term: 0, conf: CONF }, data: NO_DATA },
          [],
          0,
        );
        const m: Model = {
          offset: 0,
          offsetTerm: 0,
          terms: [],
          committed: 0,
          persisted: 0,
        };
        for (const o of ops) {
          apply(log, m, o);
          check(log, m);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds the first conflicting entry, or 0 when it holds them all', () => {
    const entries = [1, 1, 2].map((term, i) => ({
      index: i + 1,
      term,
      type: 'normal' as const,
      data: NO_DATA,
    }));
    const log = new RaftLog(
      { meta: { index: 0, term: 0, conf: CONF }, data: NO_DATA },
      entries,
      0,
    );
    expect(log.findConflict(entries.slice(1))).toBe(0);
    expect(log.findConflict([{ ...entries[2]!, term: 3 }])).toBe(3);
    expect(log.findConflict([{ ...entries[2]!, index: 4 }])).toBe(4);
  });

  it('refuses to truncate committed entries', () => {
    const log = new RaftLog(
      { meta: { index: 0, term: 0, conf: CONF }, data: NO_DATA },
      [{ index: 1, term: 1, type: 'normal', data: NO_DATA }],
      1,
    );
    expect(() =>
      log.append([{ index: 1, term: 2, type: 'normal', data: NO_DATA }]),
    ).toThrow(/append at 1/);
  });
});
