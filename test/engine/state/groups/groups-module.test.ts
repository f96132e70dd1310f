// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { GroupsModule } from '../../../../engine/state/groups/groups-module';
import {
  formatReceipt,
  parseReceipt,
} from '../../../../engine/state/groups/receipt';
import { TestContext } from '../jobs/test-context';

import {
  codeOf,
  createGroup,
  fetchFor,
  joinGroup,
  ok,
  publish,
} from './group-helpers';

function setup() {
  const groups = new GroupsModule();
  const ctx = new TestContext();
  return { groups, ctx };
}

describe('GroupsModule', () => {
  describe('create', () => {
    it('fills production defaults and refuses values out of range', () => {
      const { groups, ctx } = setup();
      expect(createGroup(groups, ctx).config).toMatchObject({
        pattern_str: '>',
        visibility_timeout_ms: 30_000,
        max_delivery_attempts: 5,
      });
      const bad = [
        { visibility_timeout_ms: 999 },
        { visibility_timeout_ms: 43_200_001 },
        { max_delivery_attempts: 0 },
        { max_delivery_attempts: 101 },
        { pattern_str: 'a.>.b' },
      ];
      for (const config of bad) {
        const command = { type: 'create', group: 'h', config } as const;
        expect(codeOf(groups.apply(command, ctx.next()))).toBe(
          'INVALID_ARGUMENT',
        );
      }
      const again = groups.apply({ type: 'create', group: 'g' }, ctx.next());
      expect(codeOf(again)).toBe('GROUP_EXISTS');
      const badId = { type: 'create', group: 'a:b' } as const;
      expect(codeOf(groups.apply(badId, ctx.next()))).toBe('INVALID_ARGUMENT');
    });

    it('refuses the 1001st group', () => {
      const { groups, ctx } = setup();
      for (let i = 0; i < 1000; i++) {
        createGroup(groups, ctx, {}, `g${i}`);
      }
      const over = groups.apply({ type: 'create', group: 'x' }, ctx.next());
      expect(codeOf(over)).toBe('TOO_MANY_GROUPS');
    });
  });

  describe('observe', () => {
    it('takes matching events, pinned, and never $-prefixed ones for >', () => {
      const { groups, ctx } = setup();
      createGroup(groups, ctx, { pattern_str: 'orders.*' }, 'g');
      createGroup(groups, ctx, {}, 'all');
      publish(groups, ctx, 'orders.created', { id: 7 });
      publish(groups, ctx, 'orders.eu.created');
      publish(groups, ctx, '$jobs.pending');
      const taken = groups.groups().map((group) => [group.id, group.available]);
      expect(taken).toEqual([
        ['all', 2],
        ['g', 1],
      ]);
      expect([...ctx.pins.values()]).toEqual([2, 1]);
    });
  });

  describe('join', () => {
    it('derives tokens from the entry index and fences the old session', () => {
      const { groups, ctx } = setup();
      createGroup(groups, ctx);
      const first = joinGroup(groups, ctx, 'c1');
      expect(first).toBe(ctx.index * 2 ** 20);
      publish(groups, ctx, 'a');
      const [delivery] = fetchFor(groups, ctx, 'c1', first);
      const second = joinGroup(groups, ctx, 'c1');
      expect(second).toBeGreaterThan(first);
      const stale = { type: 'heartbeat', group: 'g', consumer: 'c1' } as const;
      const fenced = groups.apply(
        { ...stale, fencingToken: first },
        ctx.next(),
      );
      expect(codeOf(fenced)).toBe('FENCED');
      const ack = {
        type: 'ack',
        group: 'g',
        receipt: delivery!.receipt,
      } as const;
      expect(codeOf(groups.apply(ack, ctx.next()))).toBe('FENCED');
    });

    it('lets a consumer that left still ack what it holds', () => {
      const { groups, ctx } = setup();
      createGroup(groups, ctx);
      const token = joinGroup(groups, ctx, 'c1');
      publish(groups, ctx, 'a');
      const [delivery] = fetchFor(groups, ctx, 'c1', token);
      const leave = { type: 'leave', group: 'g', consumer: 'c1' } as const;
      ok(groups.apply({ ...leave, fencingToken: token }, ctx.next()));
      const ack = {
        type: 'ack',
        group: 'g',
        receipt: delivery!.receipt,
      } as const;
      ok(groups.apply(ack, ctx.next()));
      expect(codeOf(groups.apply(ack, ctx.next()))).toBe('MESSAGE_NOT_FOUND');
      expect(ctx.pins.size).toBe(0);
    });
  });

  describe('expire', () => {
    it('redelivers to the next member in id order, then dead-letters', () => {
      const { groups, ctx } = setup();
      const config = { visibility_timeout_ms: 1000, max_delivery_attempts: 2 };
      createGroup(groups, ctx, config);
      const tokens = ['c1', 'c2', 'c3'].map((c) => joinGroup(groups, ctx, c));
      const cursor = publish(groups, ctx, 'a');
      const [first] = fetchFor(groups, ctx, 'c2', tokens[1]!);
      expect(first!.attempt).toBe(1);
      const id = `visibility:g:${cursor.index}.${cursor.offset}`;
      expect(groups.expire([id], ctx.next({ now: 999 }))).toEqual([]);
      expect(groups.expire([id], ctx.next({ now: 1000 }))).toEqual([id]);
      expect(fetchFor(groups, ctx, 'c1', tokens[0]!)).toEqual([]);
      const [second] = fetchFor(groups, ctx, 'c3', tokens[2]!);
      expect(second!.attempt).toBe(2);
      const ack = { type: 'ack', group: 'g', receipt: first!.receipt } as const;
      expect(codeOf(groups.apply(ack, ctx.next()))).toBe('FENCED');
      groups.expire([id], ctx.next({ now: 2000 }));
      expect(groups.dlq('g')).toMatchObject([
        { reason: 'max_attempts_exceeded', attempts: 2, lastConsumer: 'c3' },
      ]);
    });

    it('removes a silent member unless a new leader renewed it', () => {
      const { groups, ctx } = setup();
      createGroup(groups, ctx, { consumer_heartbeat_timeout_ms: 5000 });
      joinGroup(groups, ctx, 'c1');
      ok(groups.apply({ type: 'renew' }, ctx.next({ now: 4000 })));
      expect(groups.deadlines()).toEqual([{ due: 9000, id: 'session:g:c1' }]);
      expect(groups.expire(['session:g:c1'], ctx.next({ now: 8999 }))).toEqual(
        [],
      );
      groups.expire(['session:g:c1'], ctx.next({ now: 9000 }));
      expect(groups.groups()[0]).toMatchObject({ state: 'empty' });
    });
  });

  describe('nak', () => {
    it('requeues after the delay it asks for', () => {
      const { groups, ctx } = setup();
      createGroup(groups, ctx);
      const token = joinGroup(groups, ctx, 'c1');
      publish(groups, ctx, 'a');
      const [delivery] = fetchFor(groups, ctx, 'c1', token);
      const nak = {
        type: 'nak',
        group: 'g',
        receipt: delivery!.receipt,
      } as const;
      const result = groups.apply({ ...nak, delayMs: 500 }, ctx.next());
      expect(ok(result).outcome).toBe('requeued');
      expect(fetchFor(groups, ctx, 'c1', token)).toEqual([]);
      ctx.next({ now: ctx.now + 500 });
      expect(fetchFor(groups, ctx, 'c1', token)[0]?.attempt).toBe(2);
    });
  });

  describe('term and redrive', () => {
    it('dead-letters on term and redrives with the count reset', () => {
      const { groups, ctx } = setup();
      createGroup(groups, ctx);
      const token = joinGroup(groups, ctx, 'c1');
      const cursor = publish(groups, ctx, 'a', { n: 1 });
      const [delivery] = fetchFor(groups, ctx, 'c1', token);
      const term = {
        type: 'term',
        group: 'g',
        receipt: delivery!.receipt,
      } as const;
      ok(groups.apply({ ...term, error: 'bad' }, ctx.next()));
      expect(groups.dlq('g')).toMatchObject([
        { reason: 'explicitly_rejected', lastError: 'bad' },
      ]);
      const redrive = { type: 'redrive', group: 'g', all: true } as const;
      expect(ok(groups.apply(redrive, ctx.next())).redriven).toEqual([cursor]);
      const [again] = fetchFor(groups, ctx, 'c1', token);
      expect(again).toMatchObject({ attempt: 1, event: { payload: { n: 1 } } });
      expect(again!.receipt.delivery).not.toBe(delivery!.receipt.delivery);
    });
  });

  describe('limits', () => {
    it('caps members, fetch batches and pending per consumer', () => {
      const { groups, ctx } = setup();
      createGroup(groups, ctx);
      for (let i = 0; i < 100; i++) {
        joinGroup(groups, ctx, `c${i}`);
      }
      const join = { type: 'join', group: 'g', consumer: 'late' } as const;
      expect(codeOf(groups.apply(join, ctx.next()))).toBe('TOO_MANY_CONSUMERS');
      const token = joinGroup(groups, ctx, 'c0');
      const fetch = {
        type: 'fetch',
        group: 'g',
        consumer: 'c0',
        fencingToken: token,
      } as const;
      const tooBig = groups.apply({ ...fetch, max: 101 }, ctx.next());
      expect(codeOf(tooBig)).toBe('INVALID_ARGUMENT');
      for (let i = 0; i < 1001; i++) {
        publish(groups, ctx, 'a');
      }
      for (let i = 0; i < 10; i++) {
        fetchFor(groups, ctx, 'c0', token, 100);
      }
      const full = groups.apply({ ...fetch, max: 1 }, ctx.next());
      expect(codeOf(full)).toBe('TOO_MANY_PENDING');
    });
  });
});

describe('GroupsModule.restore', () => {
  it('refuses another snapshot version and resets on undefined', () => {
    const { groups, ctx } = setup();
    createGroup(groups, ctx);
    expect(() => groups.restore({ version: 0 })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SNAPSHOT' }),
    );
    expect(groups.groups()).toHaveLength(1);
    groups.restore(undefined);
    expect(groups.groups()).toEqual([]);
  });
});

describe('formatReceipt', () => {
  it('round-trips through parseReceipt and refuses garbage', () => {
    const receipt = {
      cursor: { index: 12, offset: 3 },
      consumer: 'worker-1',
      fencingToken: 2 ** 30,
      attempt: 2,
      delivery: 9,
    };
    const text = formatReceipt(receipt);
    expect(text).toBe('12.3:worker-1:1073741824:2:9');
    expect(parseReceipt(text)).toEqual(receipt);
    expect(parseReceipt('12.3:w:x:2:9')).toBeUndefined();
    expect(parseReceipt('12.3::1:2:9')).toBeUndefined();
  });
});
