// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { casKvModel } from '../../../engine/check/cas-kv-model';
import type { CasKvInput } from '../../../engine/check/cas-kv-model';
import type { Model, Operation } from '../../../engine/check/linearizability';
import {
  checkOperations,
  formatOperation,
} from '../../../engine/check/linearizability';
import { registerModel } from '../../../engine/check/register-model';
import { BugError } from '../../../engine/util/errors';
import { cas, concurrentWrites, read, write } from './histories';
import type { RegisterOp } from './histories';

function verdictOf(ops: RegisterOp[]) {
  return checkOperations(registerModel, ops).verdict;
}

// a coin that lands either way: a model with two successor states
const coinModel: Model<number, 'flip' | 'look', number> = {
  init: () => 0,
  step: (state, input, output) => {
    if (input === 'flip') {
      return [1, 0];
    }
    return output === undefined || output === state ? [state] : [];
  },
  hash: (state) => String(state),
};

function coinOp(input: 'flip' | 'look', call: number, output = 0) {
  return { client: 0, input, call, return: call + 1, output };
}

describe('checkOperations()', () => {
  it('accepts an empty history', () => {
    expect(checkOperations(registerModel, [])).toMatchObject({
      verdict: 'linearizable',
      partitions: 0,
    });
  });

  it('rejects a stale read after a newer write returned', () => {
    const ops = [write(1, 0, 1), write(2, 2, 3), read(1, 4, 5)];
    expect(verdictOf(ops)).toBe('not-linearizable');
  });

  it('rejects a lost write that a later read does not see', () => {
    expect(verdictOf([write(1, 0, 1), read(null, 2, 3)])).toBe(
      'not-linearizable',
    );
  });

  it('accepts reads on either side of a concurrent write', () => {
    const ops = [write(1, 0, 10), read(null, 1, 2), read(1, 3, 4)];
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('rejects a value that flips back during a concurrent write', () => {
    const ops = [write(1, 0, 10), read(1, 1, 2), read(null, 3, 4)];
    expect(verdictOf(ops)).toBe('not-linearizable');
  });

  it('accepts an unknown-outcome write that took effect', () => {
    expect(verdictOf([write(1, 0), read(1, 5, 6)])).toBe('linearizable');
  });

  it('accepts an unknown-outcome write that did not take effect', () => {
    const ops = [write(1, 0, 1), write(2, 2), read(1, 5, 6), read(1, 7, 8)];
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('rejects an unknown-outcome write whose effect is seen and then undone', () => {
    const ops = [write(2, 2), read(2, 5, 6), read(null, 7, 8)];
    expect(verdictOf(ops)).toBe('not-linearizable');
  });

  it('ignores the output of an operation whose outcome is unknown', () => {
    const ops = [
      { ...read(7, 0, 1), return: undefined },
      cas(9, 1, true, 2, undefined),
    ];
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('accepts a cas that found its value and rejects one that could not have', () => {
    const history = [write(1, 0, 1), cas(1, 2, true, 2, 3)];
    expect(verdictOf([...history, read(2, 4, 5)])).toBe('linearizable');
    expect(verdictOf([write(3, 0, 1), cas(1, 2, true, 2, 3)])).toBe(
      'not-linearizable',
    );
  });

  it('rejects a failed cas when the register held its value', () => {
    expect(verdictOf([write(1, 0, 1), cas(1, 2, false, 2, 3)])).toBe(
      'not-linearizable',
    );
  });

  it('lets an unknown cas take effect or not, but not both', () => {
    const history = [write(1, 0, 1), cas(1, 2, true, 2)];
    expect(verdictOf([...history, read(2, 4, 5)])).toBe('linearizable');
    expect(verdictOf([...history, read(1, 4, 5)])).toBe('linearizable');
    expect(verdictOf([...history, read(2, 4, 5), read(1, 6, 7)])).toBe(
      'not-linearizable',
    );
  });

  it('treats a call at the same time as a return as concurrent with it', () => {
    expect(verdictOf([write(1, 0, 5), read(null, 5, 6)])).toBe('linearizable');
    expect(verdictOf([write(1, 0, 5), read(null, 6, 7)])).toBe(
      'not-linearizable',
    );
  });

  it('searches every successor of a nondeterministic model', () => {
    const flips = [coinOp('flip', 0), coinOp('look', 2, 1)];
    const check = (ops: typeof flips) =>
      checkOperations(coinModel, ops).verdict;
    expect(check([...flips, coinOp('look', 4, 1)])).toBe('linearizable');
    expect(check([...flips, coinOp('look', 4, 0)])).toBe('not-linearizable');
    expect(check([coinOp('flip', 0), coinOp('look', 2, 0)])).toBe(
      'linearizable',
    );
  });

  it('answers unknown when the step budget runs out', () => {
    const ops = concurrentWrites(12, 99);
    const limited = checkOperations(registerModel, ops, { maxSteps: 100 });
    expect(limited).toMatchObject({ verdict: 'unknown', undecided: 1 });
    expect(limited.steps).toBe(100);
    expect(checkOperations(registerModel, ops).verdict).toBe(
      'not-linearizable',
    );
  });

  it('answers unknown when the injected clock passes the budget', () => {
    let time = 0;
    const now = () => (time += 1000);
    const result = checkOperations(registerModel, concurrentWrites(12, 99), {
      budgetMs: 1,
      now,
    });
    expect(result.verdict).toBe('unknown');
  });

  it('reports the smallest failing partition and where its search ended', () => {
    const on = (key: string, op: RegisterOp): Operation<CasKvInput, never> =>
      ({ ...op, input: { ...op.input, key } }) as Operation<CasKvInput, never>;
    const big = [write(1, 0, 1), write(2, 2, 3), read(1, 4, 5)];
    const small = [write(7, 0, 1), read(null, 2, 3)];
    const ops = [
      ...big.map((op) => on('a', op)),
      ...small.map((op) => on('b', op)),
    ];

    const result = checkOperations(casKvModel, ops);

    expect(result.verdict).toBe('not-linearizable');
    expect(result.partitions).toBe(2);
    expect(result.failing).toEqual(ops.slice(3));
    expect(result.deadEnd?.prefix).toEqual([ops[3]]);
    expect(result.deadEnd?.stuck).toBe(ops[4]);
  });

  it('stays unknown when one partition is undecided and the others pass', () => {
    const on = (key: string) => (op: RegisterOp) =>
      ({ ...op, input: { ...op.input, key } }) as Operation<CasKvInput, never>;
    const hard = concurrentWrites(12, 99).map(on('a'));
    const fine = [write(1, 0, 1), read(1, 2, 3)].map(on('b'));
    const result = checkOperations(casKvModel, [...hard, ...fine], {
      maxSteps: 50,
    });
    expect(result).toMatchObject({
      verdict: 'unknown',
      partitions: 2,
      undecided: 1,
    });
  });

  it('throws BAD_HISTORY for an operation that returns before its call', () => {
    expect(() => checkOperations(registerModel, [write(1, 5, 4)])).toThrow(
      expect.objectContaining({ code: 'BAD_HISTORY' }),
    );
  });

  it('throws a BugError when a partition loses an operation', () => {
    const lossy = { ...registerModel, partition: () => [] };
    expect(() => checkOperations(lossy, [write(1, 0, 1)])).toThrow(BugError);
  });
});

describe('formatOperation()', () => {
  it('names the client, the interval and the operation', () => {
    expect(formatOperation(registerModel, cas(1, 2, true, 3))).toBe(
      'client 2 [3, inf] cas 1 2 -> ?',
    );
    expect(formatOperation(coinModel, coinOp('look', 4, 1))).toBe(
      'client 0 [4, 5] "look" -> 1',
    );
  });
});
