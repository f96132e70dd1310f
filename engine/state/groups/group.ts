import { compareEventIds, formatEventId } from '../event-id';
import type { EventId } from '../module';
import { SortedList } from '../jobs/sorted-list';

import type {
  Consumer,
  GroupConfig,
  GroupDlqReason,
  GroupMessage,
} from './types';
import { GROUP_LIMITS } from './types';

/**
 * One consumer group's state and indexes. A message lives in `messages`
 * from the moment it matched until it leaves the group; while available it
 * is also in `backlog`, ordered by (due, cursor); while dead-lettered it is
 * also in `dlq`, in entry order. Members are kept in id order, which is the
 * order redeliveries rotate through.
 *
 * @packageDocumentation
 */

function byDueThenCursor(a: GroupMessage, b: GroupMessage): number {
  return a.due !== b.due ? a.due - b.due : compareEventIds(a.cursor, b.cursor);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A group's state. */
export class Group {
  /** Every message the group holds, by `index.offset`. */
  readonly messages = new Map<string, GroupMessage>();
  /** Available messages, in the order fetches take them. */
  readonly backlog = new SortedList<GroupMessage>(byDueThenCursor);
  /** Dead-lettered messages, oldest first. */
  readonly dlq: GroupMessage[] = [];
  readonly consumers = new Map<string, Consumer>();
  /** Member ids in id order. */
  readonly memberIds: string[] = [];
  /** Deliveries each consumer holds (members and former members). */
  readonly pendingCount = new Map<string, number>();
  /** The last delivery number handed out. */
  deliverySeq = 0;
  /** Messages not taken because the backlog was full. */
  dropped = 0;

  constructor(
    readonly id: string,
    readonly config: GroupConfig,
    readonly createdAt: number,
  ) {}

  /** The message of an event, if the group holds it. */
  message(cursor: EventId): GroupMessage | undefined {
    return this.messages.get(formatEventId(cursor));
  }

  /** Adds or replaces a member. */
  setConsumer(consumer: Consumer): void {
    if (!this.consumers.has(consumer.id)) {
      this.memberIds.push(consumer.id);
      this.memberIds.sort(compareText);
    }
    this.consumers.set(consumer.id, consumer);
  }

  /** Removes a member; redeliveries meant for it go to anyone. */
  removeConsumer(id: string): void {
    this.consumers.delete(id);
    this.memberIds.splice(this.memberIds.indexOf(id), 1);
    for (const message of this.backlog.values()) {
      if (message.assignee === id) {
        message.assignee = null;
      }
    }
  }

  /**
   * The member after `holder` in id order, wrapping around: where a
   * delivery that timed out goes next. The holder itself only when it is
   * the sole member; null when there are none.
   */
  nextAfter(holder: string | null): string | null {
    const ids = this.memberIds;
    const next = ids.find((id) => holder === null || id > holder);
    return next ?? ids[0] ?? null;
  }

  /** Adds a message that matched, available from `due`. */
  add(message: GroupMessage): void {
    this.messages.set(formatEventId(message.cursor), message);
    this.backlog.insert(message);
  }

  /** Makes a message available again (requeue, redelivery, redrive). */
  makeAvailable(
    message: GroupMessage,
    due: number,
    assignee: string | null,
  ): void {
    this.detach(message);
    message.state = 'available';
    message.due = due;
    message.assignee = assignee;
    message.consumer = null;
    this.backlog.insert(message);
  }

  /** Hands an available message to a consumer. */
  makePending(message: GroupMessage, consumer: Consumer, now: number): void {
    this.detach(message);
    message.state = 'pending';
    message.deliveries += 1;
    message.assignee = null;
    message.consumer = consumer.id;
    message.fencingToken = consumer.fencingToken;
    message.delivery = ++this.deliverySeq;
    message.deliveredAt = now;
    message.deadline = now + this.config.visibility_timeout_ms;
    this.countPending(consumer.id, 1);
  }

  /**
   * Dead-letters a message; returns the oldest entries the DLQ bound
   * pushed out, which have left the group.
   */
  makeDead(
    message: GroupMessage,
    reason: GroupDlqReason,
    now: number,
  ): GroupMessage[] {
    this.detach(message);
    message.state = 'dead_letter';
    message.reason = reason;
    message.enteredAt = now;
    this.dlq.push(message);
    const over = this.dlq.length - GROUP_LIMITS.dlqPerGroup;
    const trimmed = over > 0 ? this.dlq.slice(0, over) : [];
    trimmed.forEach((old) => this.remove(old));
    return trimmed;
  }

  /** Puts back a pending or dead-lettered message read from a snapshot. */
  restoreMessage(message: GroupMessage): void {
    this.messages.set(formatEventId(message.cursor), message);
    if (message.state === 'pending' && message.consumer !== null) {
      this.countPending(message.consumer, 1);
    } else if (message.state === 'dead_letter') {
      this.dlq.push(message);
    }
  }

  /** Takes a message out of the group altogether. */
  remove(message: GroupMessage): void {
    this.detach(message);
    this.messages.delete(formatEventId(message.cursor));
  }

  /** Pending messages in cursor order. */
  pending(): GroupMessage[] {
    const list = [...this.messages.values()].filter(
      (message) => message.state === 'pending',
    );
    return list.sort((a, b) => compareEventIds(a.cursor, b.cursor));
  }

  private detach(message: GroupMessage): void {
    if (message.state === 'available') {
      this.backlog.remove(message);
    } else if (message.state === 'pending' && message.consumer !== null) {
      this.countPending(message.consumer, -1);
    } else if (message.state === 'dead_letter') {
      this.dlq.splice(this.dlq.indexOf(message), 1);
      message.reason = null;
    }
  }

  private countPending(consumer: string, delta: number): void {
    const count = (this.pendingCount.get(consumer) ?? 0) + delta;
    if (count === 0) {
      this.pendingCount.delete(consumer);
    } else {
      this.pendingCount.set(consumer, count);
    }
  }
}
