// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { AspenStateMachine } from '../../../engine/state/machine';

import { LogBuilder } from './log-builder';

function setup() {
  const machine = new AspenStateMachine();
  const log = new LogBuilder();
  const run = (cmd: Parameters<LogBuilder['cmd']>[0], time?: number) =>
    machine.apply(log.cmd(cmd, { time }));
  const topics = () =>
    machine.eventsFrom({ index: 0, offset: 0 }).map((e) => e.topic);
  return { machine, log, run, topics };
}

describe('KvStore', () => {
  it('reports is_create truthfully on the first and later writes', () => {
    const { machine, run } = setup();
    expect(run({ t: 'kv.put', key: 'a', value: 'xyz' })).toEqual({
      ok: true,
      isCreate: true,
    });
    expect(run({ t: 'kv.put', key: 'a', value: 'é' })).toEqual({
      ok: true,
      isCreate: false,
    });
    const payloads = machine
      .eventsFrom({ index: 0, offset: 0 })
      .map((e) => e.payload);
    expect(payloads).toEqual([
      { key: 'a', value_size_bytes: 3, is_create: true },
      { key: 'a', value_size_bytes: 2, is_create: false },
    ]);
    expect(machine.get('a')).toMatchObject({
      value: 'é',
      createIndex: 1,
      modIndex: 2,
      version: 2,
    });
  });

  it('emits delete_committed with existed false when the key is absent', () => {
    const { machine, run } = setup();
    expect(run({ t: 'kv.delete', key: 'gone' })).toEqual({
      ok: true,
      existed: false,
    });
    const [event] = machine.eventsFrom({ index: 0, offset: 0 });
    expect(event).toMatchObject({
      topic: 'hooks.kv.delete_committed',
      payload: { key: 'gone', existed: false },
    });
  });

  it('swaps on an absent key only when expected is null', () => {
    const { machine, run } = setup();
    const cas = (expected: string | null, value: string) =>
      run({ t: 'kv.cas', key: 'k', expected, value });
    expect(cas('x', 'v1')).toEqual({
      ok: true,
      isSwapped: false,
      current: null,
    });
    expect(cas(null, 'v1')).toEqual({
      ok: true,
      isSwapped: true,
      current: 'v1',
    });
    expect(cas(null, 'v2')).toEqual({
      ok: true,
      isSwapped: false,
      current: 'v1',
    });
    expect(cas('v1', 'v2')).toEqual({
      ok: true,
      isSwapped: true,
      current: 'v2',
    });
    expect(machine.get('k')?.value).toBe('v2');
  });

  it('compares bytes by content and never equal to a string', () => {
    const { run } = setup();
    run({ t: 'kv.put', key: 'b', value: Uint8Array.of(1, 2) });
    const swap = (expected: Uint8Array | string) =>
      run({ t: 'kv.cas', key: 'b', expected, value: 'new' });
    expect(swap('\u0001\u0002')).toMatchObject({ isSwapped: false });
    expect(swap(Uint8Array.of(1, 2))).toMatchObject({ isSwapped: true });
  });

  it('emits one event per key of a batch, in order', () => {
    const { machine, run } = setup();
    run({ t: 'kv.put', key: 'x', value: '1' });
    const result = run({
      t: 'kv.batch',
      ops: [
        { op: 'put', key: 'y', value: '22' },
        { op: 'delete', key: 'x' },
        { op: 'put', key: 'z', value: '333' },
      ],
    });
    expect(result).toMatchObject({ ok: true, results: [{}, {}, {}] });
    const events = machine.eventsFrom({ index: 2, offset: 0 });
    expect(events.map((e) => [e.id.offset, e.topic, e.payload])).toEqual([
      [
        0,
        'hooks.kv.write_committed',
        { key: 'y', value_size_bytes: 2, is_create: true },
      ],
      [1, 'hooks.kv.delete_committed', { key: 'x', existed: true }],
      [
        2,
        'hooks.kv.write_committed',
        { key: 'z', value_size_bytes: 3, is_create: true },
      ],
    ]);
  });

  it('refuses a batch naming a key twice and applies none of it', () => {
    const { machine, run } = setup();
    const result = run({
      t: 'kv.batch',
      ops: [
        { op: 'put', key: 'd', value: '1' },
        { op: 'delete', key: 'd' },
      ],
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'DUPLICATE_KEY' },
    });
    expect(machine.get('d')).toBeUndefined();
    expect(machine.eventsFrom({ index: 0, offset: 0 })).toEqual([]);
  });
});

describe('KvStore TTL', () => {
  it('keeps a due key until the expire entry commits, then emits ttl_expired', () => {
    const { machine, run } = setup();
    run({ t: 'kv.put', key: 't', value: 'v', ttlMs: 500 }, 1_000);
    expect(machine.deadlines()).toEqual([{ due: 1_500, id: 'kv:t' }]);

    // time passes (a later stamp), but only an expire entry removes it
    run({ t: 'kv.put', key: 'other', value: 'v' }, 9_000);
    expect(machine.get('t')?.value).toBe('v');

    const result = run({
      t: 'expire',
      ids: ['kv:t', 'kv:other', 'x:y'],
      now: 9_000,
    });
    expect(result).toEqual({
      ok: true,
      expired: ['kv:t'],
      skipped: ['kv:other', 'x:y'],
    });
    expect(machine.get('t')).toBeUndefined();
    expect(machine.deadlines()).toEqual([]);
    const last = machine.eventsFrom({ index: 3, offset: 0 });
    expect(last).toEqual([
      expect.objectContaining({
        topic: 'hooks.kv.ttl_expired',
        payload: {
          key: 't',
          ttl_set_at: { time: 1n << 32n, id: new Array(16).fill(0) },
        },
      }),
    ]);
  });

  it('skips an expire whose deadline moved since it was proposed', () => {
    const { machine, run } = setup();
    run({ t: 'kv.put', key: 't', value: 'v', ttlMs: 100 }, 1_000);
    run({ t: 'kv.put', key: 't', value: 'w', ttlMs: 10_000 }, 1_200);
    expect(run({ t: 'expire', ids: ['kv:t'], now: 1_200 })).toMatchObject({
      expired: [],
      skipped: ['kv:t'],
    });
    expect(machine.deadlines()).toEqual([{ due: 11_200, id: 'kv:t' }]);
  });

  it('drops the TTL when a key is rewritten without one', () => {
    const { machine, run } = setup();
    run({ t: 'kv.put', key: 't', value: 'v', ttlMs: 100 });
    run({ t: 'kv.put', key: 't', value: 'v' });
    expect(machine.deadlines()).toEqual([]);
    expect(machine.get('t')?.expiresAt).toBeUndefined();
  });

  it('never moves cluster time backwards when a stamp is older', () => {
    const { machine, run } = setup();
    run({ t: 'kv.put', key: 'a', value: 'v' }, 5_000);
    run({ t: 'kv.put', key: 'b', value: 'v', ttlMs: 10 }, 4_000);
    expect(machine.clusterTime).toBe(5_000);
    expect(machine.get('b')?.expiresAt).toBe(5_010);
  });
});
