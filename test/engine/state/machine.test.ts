// @vitest-environment node
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';

import { AspenStateMachine } from '../../../engine/state/machine';
import { encodeImage } from '../../../engine/state/machine-image';

import { CounterModule, LogBuilder } from './log-builder';

describe('AspenStateMachine', () => {
  it('answers an error for a garbage entry and keeps applying', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const results = [
      log.raw(Uint8Array.of(0xc1, 0xff, 0x00, 0x13)),
      log.raw(new TextEncoder().encode('not msgpack at all')),
      log.cmd({ t: 'kv.put', key: 'k', value: 'v' }),
    ].map((entry) => machine.apply(entry));
    expect(results[0]).toMatchObject({
      ok: false,
      error: { code: 'BAD_ENTRY' },
    });
    expect(results[1]).toMatchObject({
      ok: false,
      error: { code: 'BAD_ENTRY' },
    });
    expect(results[2]).toEqual({ ok: true, isCreate: true });
    expect(machine.lastApplied.index).toBe(3);
    expect(machine.rejections().map((r) => r.index)).toEqual([1, 2]);
  });

  it('refuses an unknown envelope version with a clear error', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const data = new Packr({ useRecords: false }).encode({ v: 2, cmd: {} });
    const result = machine.apply(log.raw(data));
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'UNSUPPORTED_VERSION',
        message: expect.stringContaining('envelope version 2'),
      },
    });
  });

  it('refuses a malformed command naming the field', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const cmd = { t: 'kv.put', key: '', value: 'v' } as const;
    expect(machine.apply(log.cmd(cmd))).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_COMMAND',
        message: expect.stringContaining('cmd.key'),
      },
    });
  });

  it('refuses an invalid subject naming the token, and $ subjects', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const publish = (topic: string) =>
      machine.apply(log.cmd({ t: 'publish', topic, payload: {} }));
    expect(publish('orders..created')).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_SUBJECT',
        message: expect.stringContaining('token 1 ""'),
      },
    });
    expect(publish('$studio.x')).toMatchObject({
      error: { code: 'RESERVED_SUBJECT' },
    });
    expect(publish('orders.created')).toEqual({
      ok: true,
      id: { index: 3, offset: 0 },
    });
  });

  it('publishes a batch atomically: one bad subject refuses all', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const batch = (topics: string[]) =>
      machine.apply(
        log.cmd({
          t: 'publishBatch',
          messages: topics.map((topic) => ({ topic, payload: topic })),
        }),
      );
    expect(batch(['a', 'b c'])).toMatchObject({ ok: false });
    expect(batch(['a', 'b'])).toEqual({
      ok: true,
      ids: [
        { index: 2, offset: 0 },
        { index: 2, offset: 1 },
      ],
    });
    expect(machine.retention().count).toBe(2);
  });

  it('stores the hooks config by version and refuses a stale one', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const store = (version: number, text: string) =>
      machine.apply(log.cmd({ t: 'hooks.config', version, text }));
    expect(store(1, '[hooks]')).toEqual({ ok: true, version: 1 });
    expect(store(1, 'other')).toMatchObject({
      error: { code: 'CONFIG_CONFLICT' },
    });
    expect(machine.hooksConfig()).toEqual({
      version: 1,
      text: '[hooks]',
      index: 1,
    });
  });

  it('routes module commands, deadlines and expiries through the registry', () => {
    const jobs = new CounterModule();
    const machine = new AspenStateMachine({ modules: { jobs } });
    const log = new LogBuilder();
    machine.apply(log.cmd({ t: 'jobs', cmd: { op: 'add' } }, { random: 9 }));
    machine.apply(
      log.cmd({ t: 'jobs', cmd: { op: 'timer', id: 'j1', ms: 50 } }),
    );
    expect(machine.deadlines()).toEqual([{ due: 1_050, id: 'jobs:j1' }]);
    const expired = machine.apply(
      log.cmd({ t: 'expire', ids: ['jobs:j1'], now: 2_000 }, { time: 2_000 }),
    );
    expect(expired).toEqual({ ok: true, expired: ['jobs:j1'], skipped: [] });
    expect(machine.eventsFrom({ index: 1, offset: 0 })[0]?.payload).toEqual({
      count: 1,
      random: 9,
    });
    expect(jobs.observed).toBe(1);

    const missing = machine.apply(log.cmd({ t: 'groups', cmd: {} }));
    expect(missing).toMatchObject({ error: { code: 'NO_MODULE' } });
  });

  it('takes back the events of a module command that throws', () => {
    const jobs = new CounterModule();
    const machine = new AspenStateMachine({ modules: { jobs } });
    const log = new LogBuilder();
    machine.apply(log.cmd({ t: 'publish', topic: 'a', payload: 1 }));
    const result = machine.apply(log.cmd({ t: 'jobs', cmd: { op: 'boom' } }));
    expect(result).toMatchObject({ error: { code: 'APPLY_FAILED' } });
    expect(machine.retention().count).toBe(1);
    machine.apply(log.cmd({ t: 'jobs', cmd: { op: 'add' } }));
    expect(machine.eventsFrom({ index: 2, offset: 0 })).toEqual([
      expect.objectContaining({ id: { index: 3, offset: 0 } }),
    ]);
  });

  it('refuses a newer snapshot format and keeps its state', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    machine.apply(log.cmd({ t: 'kv.put', key: 'k', value: 'v' }));
    const newer = encodeImage({ format: 2 } as never);
    expect(() => machine.restore(newer)).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_FORMAT',
        message: expect.stringContaining('export the workspace'),
      }),
    );
    expect(() => machine.restore(Uint8Array.of(1, 2, 3))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }),
    );
    expect(machine.get('k')?.value).toBe('v');
  });

  it('refuses a snapshot holding a module it was built without', () => {
    const withJobs = new AspenStateMachine({
      modules: { jobs: new CounterModule() },
    });
    const bare = new AspenStateMachine();
    expect(() => bare.restore(withJobs.snapshot())).toThrow(
      expect.objectContaining({ code: 'MODULE_MISSING' }),
    );
  });

  it('goes back to the initial state on an empty snapshot', () => {
    const machine = new AspenStateMachine();
    const empty = machine.snapshot();
    machine.apply(new LogBuilder().cmd({ t: 'kv.put', key: 'k', value: 'v' }));
    machine.restore(new Uint8Array());
    expect(machine.snapshot()).toEqual(empty);
  });

  it('turns observed facts into hook or $-reserved events only', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const observe = (kind: string) =>
      machine.apply(log.cmd({ t: 'observed', kind, payload: { n: 1 } }));
    expect(observe('system.snapshot_created')).toMatchObject({ ok: true });
    expect(observe('$studio.node.killed')).toMatchObject({ ok: true });
    expect(observe('orders.created')).toMatchObject({
      error: { code: 'INVALID_OBSERVATION' },
    });
    const topics = machine
      .eventsFrom({ index: 0, offset: 0 })
      .map((e) => e.topic);
    expect(topics).toEqual([
      'hooks.system.snapshot_created',
      '$studio.node.killed',
    ]);
  });
});
