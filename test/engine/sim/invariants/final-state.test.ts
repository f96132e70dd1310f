// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { CommittedLog } from '../../../../engine/sim/invariants/committed-log';
import {
  checkFinalState,
  type FinalState,
  type MemberState,
} from '../../../../engine/sim/invariants/final-state';
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

function member(id: number, terms: number[], hash = 'h'): MemberState {
  return {
    id,
    applied: terms.length,
    commit: terms.length,
    stateHash: hash,
    log: log(terms),
  };
}

function setup(overrides: Partial<FinalState> = {}) {
  const failures: string[] = [];
  const committed = new CommittedLog((f) => failures.push(f));
  [1, 1, 2].forEach((term, i) =>
    committed.observe(1, i + 1, term, undefined, 2),
  );
  const state: FinalState = {
    members: [member(1, [1, 1, 2]), member(2, [1, 1, 2])],
    voters: [1, 2, 3],
    durable: new Map([
      [1, log([1, 1, 2])],
      [2, log([1, 1, 2])],
      [3, log([1])],
    ]),
    acked: [{ client: 1, seq: 1, index: 3, term: 2 }],
    ...overrides,
  };
  checkFinalState(state, committed, (f) => failures.push(f));
  return failures;
}

describe('checkFinalState()', () => {
  it('accepts a converged cluster', () => {
    expect(setup()).toEqual([]);
  });

  it('flags members that did not converge', () => {
    const failures = setup({
      members: [member(1, [1, 1, 2]), member(2, [1, 1, 2], 'other')],
    });
    expect(failures).toEqual(['final: members did not converge (n1 3, n2 3)']);
  });

  it('flags a member whose committed prefix differs', () => {
    const failures = setup({
      members: [member(1, [1, 1, 2]), member(2, [1, 3, 2])],
    });
    expect(failures).toEqual(['final: n2 differs at committed index 2']);
  });

  it('flags a committed entry durable on a minority of voters', () => {
    const failures = setup({
      durable: new Map([
        [1, log([1, 1, 2])],
        [2, log([1, 1])],
        [3, log([1])],
      ]),
    });
    expect(failures).toEqual([
      'final: committed (3, term 2) durable on 1 of 3 voters',
    ]);
  });

  it('flags an acknowledged write that is not committed', () => {
    const failures = setup({
      acked: [{ client: 4, seq: 2, index: 3, term: 1 }],
    });
    expect(failures).toEqual([
      'final: acknowledged write of c4 seq 2 at (3, term 1) is not committed',
    ]);
  });
});
