// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type {
  CasKvInput,
  CasKvOutput,
} from '../../../engine/check/cas-kv-model';
import { casKvModel } from '../../../engine/check/cas-kv-model';
import type { Operation } from '../../../engine/check/linearizability';
import { checkOperations } from '../../../engine/check/linearizability';

type CasKvOp = Operation<CasKvInput, CasKvOutput>;

function op(
  input: CasKvInput,
  output: CasKvOutput,
  call: number,
  ret?: number,
): CasKvOp {
  return { client: call, input, call, return: ret, output };
}

const read = (key: string, value: string | null, call: number) =>
  op({ type: 'read', key }, { type: 'read', value }, call, call + 1);

const write = (key: string, value: string | null, call: number, ret?: number) =>
  op({ type: 'write', key, value }, { type: 'write' }, call, ret);

const cas = (
  key: string,
  from: string | null,
  to: string | null,
  ok: boolean,
  call: number,
  ret?: number,
) => op({ type: 'cas', key, from, to }, { type: 'cas', ok }, call, ret);

const verdictOf = (ops: CasKvOp[]) => checkOperations(casKvModel, ops).verdict;

describe('casKvModel', () => {
  it('creates a key with a cas from null and removes it with a null write', () => {
    const ops = [cas('k', null, 'c1-1', true, 0, 1), read('k', 'c1-1', 2)];
    expect(verdictOf(ops)).toBe('linearizable');
    const removed = [...ops, write('k', null, 4, 5), read('k', null, 6)];
    expect(verdictOf(removed)).toBe('linearizable');
  });

  it('hashes a removed key like one never written', () => {
    const removed = casKvModel.step(
      new Map([['k', 'v']]),
      { type: 'write', key: 'k', value: null },
      { type: 'write' },
    );
    expect(removed.map(casKvModel.hash)).toEqual([
      casKvModel.hash(casKvModel.init()),
    ]);
  });

  it('rejects a stale read on one key while the other key is fine', () => {
    const ops = [
      write('a', 'c1-1', 0, 1),
      write('b', 'c2-1', 0, 1),
      write('a', 'c1-2', 2, 3),
      read('b', 'c2-1', 4),
      read('a', 'c1-1', 4),
    ];
    const result = checkOperations(casKvModel, ops);
    expect(result).toMatchObject({
      verdict: 'not-linearizable',
      partitions: 2,
    });
    expect(result.failing?.map((failed) => failed.input.key)).toEqual([
      'a',
      'a',
      'a',
    ]);
  });

  it('rejects two cas from the same value that both succeed', () => {
    const ops = [
      write('k', 'c0-1', 0, 1),
      cas('k', 'c0-1', 'c1-1', true, 2, 5),
      cas('k', 'c0-1', 'c2-1', true, 3, 6),
    ];
    expect(verdictOf(ops)).toBe('not-linearizable');
  });

  it('accepts a failed cas that lost a race', () => {
    const ops = [
      write('k', 'c0-1', 0, 1),
      cas('k', 'c0-1', 'c1-1', true, 2, 5),
      cas('k', 'c0-1', 'c2-1', false, 3, 6),
      read('k', 'c1-1', 7),
    ];
    expect(verdictOf(ops)).toBe('linearizable');
  });

  it('lets a timed-out write show up late but never vanish again', () => {
    const base = [write('k', 'c0-1', 0, 1), write('k', 'c1-1', 2)];
    expect(
      verdictOf([...base, read('k', 'c0-1', 10), read('k', 'c1-1', 12)]),
    ).toBe('linearizable');
    expect(
      verdictOf([...base, read('k', 'c1-1', 10), read('k', 'c0-1', 12)]),
    ).toBe('not-linearizable');
  });

  it('describes an operation with its key', () => {
    const failed = cas('k', 'a', 'b', false, 0, 1);
    expect(casKvModel.describeOperation?.(failed.input, failed.output)).toBe(
      '"k": cas "a" "b" -> fail',
    );
  });
});
