// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { readRange, toJsonValue } from '../../../main/studio/timeline';
import { MachineLog } from '../support/machine-log';

describe('readRange()', () => {
  it('pages through the log from an id', () => {
    const log = new MachineLog();
    log.publish('a.b', 5);
    const first = readRange(log.machine, { limit: 2 });
    expect(first.events.map((e) => e.id)).toEqual(['1.0', '2.0']);
    expect(first.next).toBe('2.1');
    const second = readRange(log.machine, { from: first.next!, limit: 10 });
    expect(second.events.map((e) => e.id)).toEqual(['3.0', '4.0', '5.0']);
    expect(second.next).toBeNull();
    expect(second.earliest).toBe('1.0');
  });

  it('filters by pattern and by text in the topic or payload', () => {
    const log = new MachineLog();
    log.publish('orders.created', 2, (i) => ({
      item: i === 0 ? 'book' : 'pen',
    }));
    log.publish('users.created', 1);
    const orders = readRange(log.machine, { pattern: 'orders.*' });
    expect(orders.events.map((e) => e.topic)).toEqual([
      'orders.created',
      'orders.created',
    ]);
    const books = readRange(log.machine, { text: 'book' });
    expect(books.events.map((e) => e.payload)).toEqual([{ item: 'book' }]);
    const users = readRange(log.machine, { text: 'users' });
    expect(users.events).toHaveLength(1);
  });

  it('refuses an invalid pattern', () => {
    const log = new MachineLog();
    expect(() => readRange(log.machine, { pattern: 'a.>.b' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PATTERN' }),
    );
  });

  it('carries a large payload whole only in a page of one', () => {
    const log = new MachineLog();
    log.publish('big.x', 1, () => 'y'.repeat(300 * 1024));
    expect(readRange(log.machine, {}).events[0]).toMatchObject({
      payload: null,
    });
    const one = readRange(log.machine, { limit: 1 }).events[0];
    expect((one?.payload as string).length).toBe(300 * 1024);
  });
});

describe('toJsonValue()', () => {
  it('turns what JSON lacks into plain data', () => {
    expect(
      toJsonValue({
        bytes: new Uint8Array([1, 2]),
        big: 2n ** 70n,
        map: new Map([['k', 1]]),
        nan: Number.NaN,
        gone: undefined,
      }),
    ).toEqual({
      bytes: [1, 2],
      big: '1180591620717411303424',
      map: { k: 1 },
      nan: null,
    });
  });
});
