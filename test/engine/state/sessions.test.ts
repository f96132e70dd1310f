// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { AspenStateMachine } from '../../../engine/state/machine';
import { SESSION_WINDOW, SessionTable } from '../../../engine/state/sessions';

import { LogBuilder } from './log-builder';

describe('SessionTable', () => {
  it('applies a retried (client, seq) once and answers the cached result', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const put = { t: 'kv.put', key: 'k', value: 'v' } as const;
    const first = machine.apply(log.cmd(put, { client: 'c1', seq: 7 }));
    const retry = machine.apply(log.cmd(put, { client: 'c1', seq: 7 }));
    expect(first).toEqual({ ok: true, isCreate: true });
    expect(retry).toBe(first);
    expect(machine.get('k')?.version).toBe(1);
    expect(machine.eventsFrom({ index: 0, offset: 0 })).toHaveLength(1);

    // another client's same seq is its own command
    machine.apply(log.cmd(put, { client: 'c2', seq: 7 }));
    expect(machine.get('k')?.version).toBe(2);
  });

  it('caches refusals too, without recording the retry as a new rejection', () => {
    const machine = new AspenStateMachine();
    const log = new LogBuilder();
    const bad = { t: 'publish', topic: 'a..b', payload: 1 } as const;
    const first = machine.apply(log.cmd(bad, { client: 'c', seq: 1 }));
    const retry = machine.apply(log.cmd(bad, { client: 'c', seq: 1 }));
    expect(retry).toBe(first);
    expect(machine.rejections()).toHaveLength(1);
  });

  it('answers SESSION_EXPIRED for a retry older than the window', () => {
    const table = new SessionTable();
    for (let seq = 1; seq <= SESSION_WINDOW + 1; seq++) {
      table.record('c', seq, seq, { seq });
    }
    expect(table.check('c', 1)).toMatchObject({
      kind: 'expired',
      result: { ok: false, error: { code: 'SESSION_EXPIRED' } },
    });
    expect(table.check('c', 2)).toEqual({
      kind: 'duplicate',
      result: { seq: 2 },
    });
    expect(table.check('c', 100)).toEqual({ kind: 'new' });
  });

  it('evicts the client seen least recently past the bound', () => {
    const table = new SessionTable(2);
    table.record('a', 1, 10, 'a1');
    table.record('b', 1, 11, 'b1');
    table.record('a', 2, 12, 'a2');
    table.record('c', 1, 13, 'c1');
    expect(table.size).toBe(2);
    expect(table.check('b', 1)).toEqual({ kind: 'new' });
    expect(table.check('a', 2)).toEqual({ kind: 'duplicate', result: 'a2' });
  });

  it('evicts the same client after a restore as before it', () => {
    const table = new SessionTable(2);
    table.record('z', 1, 10, 'z');
    table.record('a', 1, 11, 'a');
    const restored = new SessionTable(2);
    restored.restore(table.snapshot().reverse());
    for (const t of [table, restored]) {
      t.record('m', 1, 12, 'm');
    }
    expect(restored.snapshot()).toEqual(table.snapshot());
    expect(restored.check('z', 1)).toEqual({ kind: 'new' });
  });
});
