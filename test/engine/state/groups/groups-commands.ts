import fc from 'fast-check';
import { expect } from 'vitest';

import type { GroupCommand } from '../../../../engine/state/groups/commands';
import type { Receipt } from '../../../../engine/state/groups/types';

import { codeOf, ok } from './group-helpers';
import type { GroupsModel, Replicas } from './groups-model';
import { VISIBILITY_MS } from './groups-model';

/**
 * fast-check commands for one consumer group: each applies one entry to
 * the model and to both replicas, then compares.
 */

type Cmd = fc.Command<GroupsModel, Replicas>;

const CONSUMERS = ['c1', 'c2', 'c3'];

class Publish implements Cmd {
  constructor(readonly topic: string) {}
  check = () => true;
  run(m: GroupsModel, r: Replicas): void {
    r.step(m, (x) => {
      const id = x.ctx.emit(this.topic, { n: m.index });
      x.groups.observe(x.ctx.event(id)!, x.ctx);
    });
    if (this.topic.startsWith('a.')) {
      m.messages.push({
        index: m.index,
        state: 'available',
        deliveries: 0,
        due: m.now,
        assignee: null,
        consumer: null,
        token: 0,
        delivery: 0,
        deadline: 0,
        reason: null,
      });
    }
  }
  toString = () => `publish(${this.topic})`;
}

class Join implements Cmd {
  constructor(readonly consumer: string) {}
  check = () => true;
  run(m: GroupsModel, r: Replicas): void {
    const command = {
      type: 'join',
      group: 'g',
      consumer: this.consumer,
    } as const;
    const result = r.step(m, (x) => x.groups.apply(command, x.ctx));
    m.lastToken = Math.max(m.lastToken + 1, m.index * 2 ** 20);
    const member = m.member(this.consumer);
    expect(ok(result)).toEqual({
      ok: true,
      fencingToken: m.lastToken,
      isRejoin: member !== undefined,
    });
    if (member) {
      Object.assign(member, { token: m.lastToken, lastSeen: m.now });
    } else {
      m.members.push({
        id: this.consumer,
        token: m.lastToken,
        lastSeen: m.now,
      });
    }
  }
  toString = () => `join(${this.consumer})`;
}

/** Fetch, heartbeat or leave; maybe with a stale token. */
class Member implements Cmd {
  constructor(
    readonly type: 'fetch' | 'heartbeat' | 'leave',
    readonly consumer: string,
    readonly isStale: boolean,
    readonly max: number,
  ) {}
  check = () => true;
  run(m: GroupsModel, r: Replicas): void {
    const member = m.member(this.consumer);
    const token = (member?.token ?? 0) - (this.isStale ? 1 : 0);
    const command = {
      type: this.type,
      group: 'g',
      consumer: this.consumer,
      fencingToken: token,
      max: this.max,
    } as GroupCommand;
    const result = r.step(m, (x) => x.groups.apply(command, x.ctx));
    if (!member || this.isStale) {
      expect(codeOf(result)).toBe(member ? 'FENCED' : 'NOT_MEMBER');
      return;
    }
    ok(result);
    member.lastSeen = m.now;
    if (this.type === 'leave') {
      m.members = m.members.filter((x) => x !== member);
      m.messages
        .filter((x) => x.state === 'available' && x.assignee === member.id)
        .forEach((x) => (x.assignee = null));
    } else if (this.type === 'fetch') {
      const taken = this.take(m, member.id, member.token);
      const got = (result as { messages: { receipt: Receipt }[] }).messages;
      expect(got.map((d) => d.receipt)).toEqual(taken);
    }
  }
  private take(m: GroupsModel, consumer: string, token: number): Receipt[] {
    const chosen = m.messages
      .filter((x) => x.state === 'available' && x.due <= m.now)
      .filter((x) => x.assignee === null || x.assignee === consumer)
      .sort((x, y) => x.due - y.due || x.index - y.index)
      .slice(0, this.max);
    return chosen.map((x) => {
      x.deliveries += 1;
      m.deliverySeq += 1;
      Object.assign(x, {
        state: 'pending',
        assignee: null,
        consumer,
        token,
        delivery: m.deliverySeq,
        deadline: m.now + VISIBILITY_MS,
      });
      const receipt = {
        cursor: { index: x.index, offset: 0 },
        consumer,
        fencingToken: token,
        attempt: x.deliveries,
        delivery: x.delivery,
      };
      m.receipts.push(receipt);
      return receipt;
    });
  }
  toString = () => `${this.type}(${this.consumer},${this.isStale})`;
}

/** Which field of a receipt a zombie gets wrong. */
type Tamper = 'none' | 'fencingToken' | 'attempt' | 'delivery';

/**
 * ack, nak, in-progress or term with any receipt ever handed out (stale
 * ones included), maybe tampered with.
 */
class Settle implements Cmd {
  constructor(
    readonly type: 'ack' | 'nak' | 'inProgress' | 'term',
    readonly pick: number,
    readonly tamper: Tamper,
    readonly delayMs: number,
  ) {}
  check = (m: Readonly<GroupsModel>) => m.receipts.length > 0;
  run(m: GroupsModel, r: Replicas): void {
    const given = m.receipts[this.pick % m.receipts.length]!;
    const receipt = { ...given };
    if (this.tamper !== 'none') {
      receipt[this.tamper] += 1;
    }
    const command = {
      type: this.type,
      group: 'g',
      receipt,
      delayMs: this.delayMs,
    } as GroupCommand;
    const result = r.step(m, (x) => x.groups.apply(command, x.ctx));
    const message = m.messages.find((x) => x.index === receipt.cursor.index);
    const expected = m.settleCode(message, receipt);
    expect(codeOf(result)).toBe(expected);
    if (expected !== undefined || message === undefined) {
      return;
    }
    if (this.type === 'ack') {
      m.messages = m.messages.filter((x) => x !== message);
    } else if (this.type === 'inProgress') {
      message.deadline = Math.max(message.deadline, m.now + VISIBILITY_MS);
    } else if (this.type === 'term') {
      m.toDlq(message, 'explicitly_rejected');
    } else {
      m.retry(message, m.now + this.delayMs, null);
    }
  }
  toString = () => `${this.type}(${this.pick},${this.tamper},${this.delayMs})`;
}

/** Time passes; the leader expires every deadline that passed. */
class Tick implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  run(m: GroupsModel, r: Replicas): void {
    m.now += this.ms;
    const ids = m
      .deadlines()
      .filter((d) => d.due <= m.now)
      .map((d) => d.id);
    const expired = r.step(m, (x) => x.groups.expire(ids, x.ctx));
    expect(expired).toEqual(ids);
    for (const id of ids) {
      const index = Number(id.split(':')[2]!.split('.')[0]);
      const message = m.messages.find((x) => x.index === index)!;
      m.retry(message, m.now, m.nextAfter(message.consumer));
    }
  }
  toString = () => `tick(${this.ms})`;
}

class Redrive implements Cmd {
  constructor(readonly pick: number | 'all') {}
  check = () => true;
  run(m: GroupsModel, r: Replicas): void {
    const all = this.pick === 'all';
    const chosen = all
      ? [...m.dlq]
      : m.dlq.slice(this.pick as number, (this.pick as number) + 1);
    const cursors = chosen.map((index) => ({ index, offset: 0 }));
    const command = all
      ? ({ type: 'redrive', group: 'g', all: true } as const)
      : ({ type: 'redrive', group: 'g', cursors } as const);
    const result = r.step(m, (x) => x.groups.apply(command, x.ctx));
    expect(ok(result).redriven).toEqual(cursors);
    for (const index of chosen) {
      const message = m.messages.find((x) => x.index === index)!;
      Object.assign(message, { state: 'available', due: m.now, deliveries: 0 });
      Object.assign(message, { assignee: null, reason: null });
      m.dlq.splice(m.dlq.indexOf(index), 1);
    }
  }
  toString = () => `redrive(${this.pick})`;
}

const consumer = fc.constantFrom(...CONSUMERS);

/** A command that also compares the whole state after it ran. */
function checked(command: Cmd): Cmd {
  return {
    check: (m) => command.check(m),
    run: (m, r) => {
      command.run(m, r);
      r.check(m);
    },
    toString: () => command.toString(),
  };
}

/** Every command, weighted to keep messages moving. */
export const groupCommands = [
  fc
    .oneof(
      {
        arbitrary: fc
          .constantFrom('a.x', 'a.y', 'b.z', '$groups.delivered')
          .map((topic) => new Publish(topic)),
        weight: 4,
      },
      { arbitrary: consumer.map((c) => new Join(c)), weight: 2 },
      {
        arbitrary: fc
          .tuple(
            fc.constantFrom('fetch', 'fetch', 'fetch', 'heartbeat', 'leave'),
            consumer,
            fc.boolean(),
            fc.integer({ min: 1, max: 3 }),
          )
          .map((args) => new Member(...args)),
        weight: 5,
      },
      {
        arbitrary: fc
          .tuple(
            fc.constantFrom('ack', 'ack', 'nak', 'inProgress', 'term'),
            fc.nat(20),
            fc.constantFrom<Tamper>(
              'none',
              'none',
              'fencingToken',
              'attempt',
              'delivery',
            ),
            fc.constantFrom(0, 0, 400),
          )
          .map((args) => new Settle(...args)),
        weight: 5,
      },
      {
        arbitrary: fc.integer({ min: 0, max: 1500 }).map((ms) => new Tick(ms)),
        weight: 3,
      },
      {
        arbitrary: fc
          .oneof(fc.nat(2), fc.constant('all' as const))
          .map((pick) => new Redrive(pick)),
        weight: 1,
      },
    )
    .map(checked),
];
