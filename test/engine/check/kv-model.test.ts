// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { KvInput, KvOutput } from '../../../engine/check/kv-model';
import { kvModel } from '../../../engine/check/kv-model';
import type { Operation } from '../../../engine/check/linearizability';
import { checkOperations } from '../../../engine/check/linearizability';

type KvOp = Operation<KvInput, KvOutput>;

const get = (key: string, value: string, call: number, ret: number): KvOp => ({
  client: 1,
  input: { type: 'get', key },
  call,
  return: ret,
  output: { type: 'get', value },
});

const append = (
  key: string,
  value: string,
  call: number,
  ret?: number,
): KvOp => ({
  client: 0,
  input: { type: 'append', key, value },
  call,
  return: ret,
  output: { type: 'append' },
});

const put = (key: string, value: string, call: number, ret?: number): KvOp => ({
  client: 2,
  input: { type: 'put', key, value },
  call,
  return: ret,
  output: { type: 'put' },
});

const verdictOf = (ops: KvOp[]) => checkOperations(kvModel, ops).verdict;

describe('kvModel', () => {
  it('reads a missing key as the empty string', () => {
    expect(verdictOf([get('a', '', 0, 1)])).toBe('linearizable');
  });

  it('concatenates appends in a valid order', () => {
    const ops = [append('a', 'x', 0, 5), append('a', 'y', 1, 6)];
    expect(verdictOf([...ops, get('a', 'yx', 7, 8)])).toBe('linearizable');
    expect(verdictOf([...ops, get('a', 'xyx', 7, 8)])).toBe('not-linearizable');
  });

  it('rejects a stale read after a put replaced the value', () => {
    const ops = [append('a', 'x', 0, 1), put('a', 'z', 2, 3)];
    expect(verdictOf([...ops, get('a', 'x', 4, 5)])).toBe('not-linearizable');
  });

  it('rejects a lost append', () => {
    const ops = [append('a', 'x', 0, 1), append('a', 'y', 2, 3)];
    expect(verdictOf([...ops, get('a', 'y', 4, 5)])).toBe('not-linearizable');
  });

  it('lets an unknown append take effect or not', () => {
    const ops = [append('a', 'x', 0, 1), append('a', 'y', 2)];
    expect(verdictOf([...ops, get('a', 'xy', 4, 5)])).toBe('linearizable');
    expect(verdictOf([...ops, get('a', 'x', 4, 5)])).toBe('linearizable');
  });

  it('checks keys apart and blames the key that fails', () => {
    const ops = [
      append('a', 'x', 0, 1),
      append('b', 'y', 0, 1),
      get('a', 'x', 2, 3),
      get('b', '', 2, 3),
    ];
    const result = checkOperations(kvModel, ops);
    expect(result).toMatchObject({
      verdict: 'not-linearizable',
      partitions: 2,
    });
    expect(result.failing).toEqual([ops[1], ops[3]]);
  });

  it('hashes equal stores equally whatever the key order', () => {
    const one = new Map([
      ['a', '1'],
      ['b', '2'],
    ]);
    const other = new Map([
      ['b', '2'],
      ['a', '1'],
    ]);
    expect(kvModel.hash(one)).toBe(kvModel.hash(other));
    expect(kvModel.hash(one)).not.toBe(kvModel.hash(new Map([['a', '1']])));
  });
});
