import { pack, unpack } from 'msgpackr';
import { expect } from 'vitest';

import { GroupsModule } from '../../../../engine/state/groups/groups-module';
import type { Receipt } from '../../../../engine/state/groups/types';
import { TestContext } from '../jobs/test-context';

import { ok } from './group-helpers';

/**
 * A plain model of one consumer group for the model-based test: arrays
 * and linear scans, written to be obviously right rather than fast.
 */

export const VISIBILITY_MS = 1000;
export const MAX_DELIVERIES = 3;
const SESSION_MS = 43_200_000;

export const CONFIG = {
  pattern_str: 'a.*',
  visibility_timeout_ms: VISIBILITY_MS,
  max_delivery_attempts: MAX_DELIVERIES,
  consumer_heartbeat_timeout_ms: SESSION_MS,
};

export interface ModelMessage {
  /** The event's Raft index (every test event is offset 0). */
  index: number;
  state: 'available' | 'pending' | 'dead_letter';
  deliveries: number;
  due: number;
  assignee: string | null;
  consumer: string | null;
  token: number;
  delivery: number;
  deadline: number;
  reason: string | null;
}

export interface ModelMember {
  id: string;
  token: number;
  lastSeen: number;
}

export class GroupsModel {
  now = 0;
  /** The index of the entry last applied (1: the group's creation). */
  index = 1;
  lastToken = 0;
  deliverySeq = 0;
  members: ModelMember[] = [];
  messages: ModelMessage[] = [];
  /** DLQ event indexes, oldest first. */
  dlq: number[] = [];
  /** Every receipt ever handed out, current or stale. */
  receipts: Receipt[] = [];

  member(id: string): ModelMember | undefined {
    return this.members.find((m) => m.id === id);
  }

  /** The member after `holder` in id order, wrapping around. */
  nextAfter(holder: string | null): string | null {
    const ids = this.members.map((m) => m.id).sort();
    return ids.find((id) => holder === null || id > holder) ?? ids[0] ?? null;
  }

  /** The refusal code a receipt should get, or undefined if it is current. */
  settleCode(
    message: ModelMessage | undefined,
    receipt: Receipt,
  ): string | undefined {
    if (message === undefined) {
      return 'MESSAGE_NOT_FOUND';
    }
    const current = this.member(receipt.consumer)?.token;
    const isCurrent =
      message.state === 'pending' &&
      message.consumer === receipt.consumer &&
      message.token === receipt.fencingToken &&
      message.deliveries === receipt.attempt &&
      message.delivery === receipt.delivery &&
      (current === undefined || current === receipt.fencingToken);
    return isCurrent ? undefined : 'FENCED';
  }

  toDlq(message: ModelMessage, reason: string): void {
    message.state = 'dead_letter';
    message.reason = reason;
    this.dlq.push(message.index);
  }

  /** A failed delivery: available again (maybe for `assignee`), or DLQ. */
  retry(message: ModelMessage, due: number, assignee: string | null): void {
    if (message.deliveries >= MAX_DELIVERIES) {
      this.toDlq(message, 'max_attempts_exceeded');
      return;
    }
    Object.assign(message, { state: 'available', due, assignee });
  }

  deadlines(): { due: number; id: string }[] {
    const list = this.messages
      .filter((m) => m.state === 'pending')
      .sort((a, b) => a.index - b.index)
      .map((m) => ({ due: m.deadline, id: `visibility:g:${m.index}.0` }));
    const sessions = [...this.members]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((m) => ({ due: m.lastSeen + SESSION_MS, id: `session:g:${m.id}` }));
    return [...list, ...sessions].sort((a, b) => a.due - b.due);
  }
}

/** One copy of the module, with group `g` created in entry 1. */
export class Replica {
  groups = new GroupsModule();
  readonly ctx = new TestContext();

  constructor() {
    const command = { type: 'create', group: 'g', config: CONFIG } as const;
    ok(this.groups.apply(command, this.ctx.next()));
  }
}

/**
 * Two replicas fed the same entries; after `cut` steps the second is
 * replaced by a fresh module restored from its msgpack-encoded snapshot.
 */
export class Replicas {
  readonly a = new Replica();
  readonly b = new Replica();
  private steps = 0;

  constructor(private readonly cut: number) {}

  /** Runs one entry on both at the model's time; same results. */
  step<T>(model: GroupsModel, body: (r: Replica) => T): T {
    model.index += 1;
    const run = (replica: Replica) => {
      replica.ctx.next({ now: model.now });
      return body(replica);
    };
    const result = run(this.a);
    expect(run(this.b)).toEqual(result);
    this.steps += 1;
    if (this.steps === this.cut) {
      const data = unpack(pack(this.b.groups.snapshot()));
      this.b.groups = new GroupsModule();
      this.b.groups.restore(data);
    }
    return result;
  }

  /** Both modules' views match the model. */
  check(model: GroupsModel): void {
    this.checkOne(this.a.groups, model);
    this.checkOne(this.b.groups, model);
  }

  private checkOne(groups: GroupsModule, model: GroupsModel): void {
    const pending = model.messages
      .filter((m) => m.state === 'pending')
      .sort((x, y) => x.index - y.index)
      .map((m) => [m.index, m.consumer, m.deliveries, m.deadline]);
    expect(
      groups.pending('g')!.map((p) => {
        return [p.cursor.index, p.consumer, p.attempt, p.deadline];
      }),
    ).toEqual(pending);
    const dlq = model.dlq.map((index) => {
      const message = model.messages.find((m) => m.index === index)!;
      return [index, message.reason, message.deliveries];
    });
    expect(
      groups.dlq('g')!.map((d) => [d.cursor.index, d.reason, d.attempts]),
    ).toEqual(dlq);
    const [view] = groups.groups();
    const available = model.messages.filter((m) => m.state === 'available');
    expect(view!.available).toBe(available.length);
    const members = [...model.members].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(view!.members.map((m) => [m.id, m.fencingToken])).toEqual(
      members.map((m) => [m.id, m.token]),
    );
    expect(groups.deadlines()).toEqual(model.deadlines());
  }
}
