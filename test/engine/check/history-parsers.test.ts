// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { BadHistoryError } from '../../../engine/check/errors';
import {
  parseJepsenLog,
  parseKvHistory,
} from '../../../engine/check/history-parsers';

const jepsen = (...events: string[]) =>
  events.map((event) => `INFO  jepsen.util - ${event}`).join('\n');

function errorOf(parse: () => unknown): BadHistoryError {
  try {
    parse();
  } catch (error) {
    if (error instanceof BadHistoryError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a BadHistoryError');
}

describe('parseJepsenLog()', () => {
  it('pairs calls with completions by process, in event order', () => {
    const text = [
      'some preamble that is not an event',
      jepsen('0\t:invoke\t:write\t3', '1\t:invoke\t:read\tnil'),
      jepsen('1\t:ok\t:read\tnil', '0\t:ok\t:write\t3'),
      jepsen('1\t:invoke\t:cas\t[3 4]', '1\t:ok\t:cas\t[3 4]'),
    ].join('\n');

    expect(parseJepsenLog(text)).toEqual([
      {
        client: 0,
        input: { type: 'write', value: 3 },
        call: 0,
        return: 3,
        output: { type: 'write' },
      },
      {
        client: 1,
        input: { type: 'read' },
        call: 1,
        return: 2,
        output: { type: 'read', value: null },
      },
      {
        client: 1,
        input: { type: 'cas', from: 3, to: 4 },
        call: 4,
        return: 5,
        output: { type: 'cas', ok: true },
      },
    ]);
  });

  it('drops failed operations, timed-out reads included', () => {
    const text = jepsen(
      '0\t:invoke\t:read\tnil',
      '0\t:fail\t:read\t:timed-out',
      '0\t:invoke\t:cas\t[1 2]',
      '0\t:fail\t:cas\t[1 2]',
      '0\t:invoke\t:read\tnil',
      '0\t:ok\t:read\t5',
    );
    const ops = parseJepsenLog(text);
    expect(ops).toHaveLength(1);
    expect(ops[0]?.output).toEqual({ type: 'read', value: 5 });
  });

  it('leaves info and never-completed operations with unknown outcomes', () => {
    const text = jepsen(
      '0\t:invoke\t:write\t1',
      '1\t:invoke\t:cas\t[1 2]',
      '0\t:info\t:write\t:timed-out',
    );
    const ops = parseJepsenLog(text);
    expect(ops.map((op) => op.return)).toEqual([undefined, undefined]);
    expect(ops.map((op) => op.output)).toEqual([undefined, undefined]);
  });

  it('reports the line of an event it cannot read', () => {
    const text = `${jepsen('0\t:invoke\t:read\tnil')}\nINFO jepsen.util - 0 :ok :raed nil`;
    const error = errorOf(() => parseJepsenLog(text));
    expect(error.code).toBe('BAD_HISTORY');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^line 2: /);
  });

  it.each([
    ['a completion without a call', ['0\t:ok\t:read\tnil'], 1],
    [
      'a second call before the first completed',
      ['0\t:invoke\t:read\tnil', '0\t:invoke\t:read\tnil'],
      2,
    ],
    [
      'a completion of another operation',
      ['0\t:invoke\t:read\tnil', '0\t:ok\t:write\t1'],
      2,
    ],
    [
      'a write that completes with another value',
      ['0\t:invoke\t:write\t1', '0\t:ok\t:write\t2'],
      2,
    ],
    ['a cas without a pair', ['0\t:invoke\t:cas\t1'], 1],
    ['a read called with a value', ['0\t:invoke\t:read\t1'], 1],
    [
      'a read returning a keyword',
      ['0\t:invoke\t:read\tnil', '0\t:ok\t:read\t:x'],
      2,
    ],
  ])('throws BAD_HISTORY for %s', (_name, events, line) => {
    expect(errorOf(() => parseJepsenLog(jepsen(...events))).line).toBe(line);
  });

  it('throws BAD_HISTORY for a log without events', () => {
    expect(errorOf(() => parseJepsenLog('INFO nothing here\n')).code).toBe(
      'BAD_HISTORY',
    );
  });
});

describe('parseKvHistory()', () => {
  const kv = (fields: string) => `{${fields}}`;

  it('reads get, put and append with their keys and values', () => {
    const text = [
      kv(':process 0, :type :invoke, :f :put, :key "a", :value "x"'),
      kv(':process 1, :type :invoke, :f :get, :key "a", :value nil'),
      kv(':process 0, :type :ok, :f :put, :key "a", :value "x"'),
      kv(':process 1, :type :ok, :f :get, :key "a", :value "x"'),
      '',
      kv(':process 1, :type :invoke, :f :append, :key "a", :value "\\"y\\""'),
      kv(':process 1, :type :info, :f :append, :key "a", :value "\\"y\\""'),
    ].join('\n');

    expect(parseKvHistory(text)).toEqual([
      {
        client: 0,
        input: { type: 'put', key: 'a', value: 'x' },
        call: 0,
        return: 2,
        output: { type: 'put' },
      },
      {
        client: 1,
        input: { type: 'get', key: 'a' },
        call: 1,
        return: 3,
        output: { type: 'get', value: 'x' },
      },
      {
        client: 1,
        input: { type: 'append', key: 'a', value: '"y"' },
        call: 4,
      },
    ]);
  });

  it('drops failed operations and reads a nil get as the empty string', () => {
    const text = [
      kv(':process 0, :type :invoke, :f :put, :key "a", :value "x"'),
      kv(':process 0, :type :fail, :f :put, :key "a", :value "x"'),
      kv(':process 0, :type :invoke, :f :get, :key "a", :value nil'),
      kv(':process 0, :type :ok, :f :get, :key "a", :value nil'),
    ].join('\n');
    const ops = parseKvHistory(text);
    expect(ops).toHaveLength(1);
    expect(ops[0]?.output).toEqual({ type: 'get', value: '' });
  });

  it.each([
    ['a line that is not a map', ':process 0', /expected '\{'/],
    ['an unterminated string', '{:process 0, :key "a}', /unterminated/],
    ['a missing field', '{:process 0, :type :invoke, :f :get}', /:key/],
    [
      'an unknown function',
      '{:process 0, :type :invoke, :f :cas, :key "a", :value nil}',
      /:f|:get/,
    ],
    [
      'a get called with a value',
      '{:process 0, :type :invoke, :f :get, :key "a", :value "x"}',
      /:get/,
    ],
    [
      'a completion of another key',
      '{:process 0, :type :invoke, :f :get, :key "a", :value nil}\n' +
        '{:process 0, :type :ok, :f :get, :key "b", :value ""}',
      /completes/,
    ],
  ])('throws BAD_HISTORY with the line for %s', (_name, text, why) => {
    const error = errorOf(() => parseKvHistory(`\n${text}`));
    expect(error.line).toBe(text.split('\n').length + 1);
    expect(error.reason).toMatch(why);
  });
});
