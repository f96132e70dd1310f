import type { ApplyContext, EventId } from '../module';

import { GroupCommandError } from './errors';
import type { Group } from './group';
import type { Consumer, GroupMessage } from './types';

/**
 * The studio stream the groups module writes, one event per change, so
 * the timeline can show every delivery of an event. Topics start with `$`
 * (no leading wildcard sees them) and the module never takes its own
 * `$groups.*` events into a group. Events about a message name it as
 * their causation.
 *
 * | topic | when |
 * |---|---|
 * | `$groups.created`, `$groups.deleted` | a group was created or deleted |
 * | `$groups.joined`, `$groups.left` | membership; `reason` on leaving |
 * | `$groups.delivered` | a fetch handed a message to a consumer |
 * | `$groups.acked` | a delivery was acked |
 * | `$groups.requeued` | nak, or a visibility timeout: delivered again |
 * | `$groups.dead_letter` | to the DLQ, with `reason` |
 * | `$groups.redriven`, `$groups.purged` | a DLQ entry left the DLQ |
 *
 * @packageDocumentation
 */

/** The prefix of every groups topic. */
export const GROUPS_TOPIC_PREFIX = '$groups.';

/** The payload of every `$groups.*` event; unused fields are null. */
export interface GroupEvent {
  group: string;
  consumer: string | null;
  /** The message's event. */
  cursor: EventId | null;
  /** The delivery this is about (deliveries so far for a requeue). */
  attempt: number | null;
  /** Why (leave, requeue or DLQ reason). */
  reason: string | null;
  /** Visibility deadline (delivered) or due time (requeued), ms. */
  at: number | null;
  /** The member a redelivery is meant for (requeued). */
  assignee: string | null;
  error: string | null;
}

interface Queued {
  topic: string;
  payload: GroupEvent;
  causation: EventId | undefined;
}

/**
 * The groups, the fencing token counter, and the event queue every
 * command writes to: events are emitted when a command is done, so
 * whatever reacts inside `emit` finds a consistent state.
 */
export class GroupsCore {
  readonly groups = new Map<string, Group>();
  /** Group ids in id order: the order events are offered in. */
  readonly groupIds: string[] = [];
  /** The last fencing token handed out. */
  lastToken = 0;
  private queued: Queued[] = [];

  /** Runs one command; a {@link GroupCommandError} becomes a refusal. */
  run<T>(ctx: ApplyContext, body: () => T): T {
    const outer = this.queued;
    this.queued = [];
    let result: T;
    let events: Queued[];
    try {
      result = body();
    } catch (error) {
      if (!(error instanceof GroupCommandError)) {
        throw error;
      }
      result = error.toFailure() as T;
      this.queued = [];
    } finally {
      // a nested run (from inside emit) or a bug's throw must not leave
      // this command's events behind for the next one
      events = this.queued;
      this.queued = outer;
    }
    for (const { topic, payload, causation } of events) {
      ctx.emit(topic, payload, causation && { causation });
    }
    return result;
  }

  /** The group of that id, or throws GROUP_NOT_FOUND. */
  group(id: string): Group {
    const group = this.groups.get(id);
    if (group === undefined) {
      throw new GroupCommandError('GROUP_NOT_FOUND', `no group ${id}`);
    }
    return group;
  }

  /** The member of that id holding `token`, or throws. */
  member(group: Group, id: string, token: number): Consumer {
    const consumer = group.consumers.get(id);
    if (consumer === undefined) {
      throw new GroupCommandError(
        'NOT_MEMBER',
        `${id} is not a member of ${group.id}`,
      );
    }
    if (consumer.fencingToken !== token) {
      throw new GroupCommandError(
        'FENCED',
        `fencing token ${token} of ${id} in ${group.id} is stale; the ` +
          `current one is ${consumer.fencingToken}`,
      );
    }
    return consumer;
  }

  /**
   * A fencing token that no earlier one equals or exceeds: the entry's
   * index in the upper bits (production puts the join time there) and a
   * count in the low 20 bits, so several joins in one entry differ.
   */
  nextToken(ctx: ApplyContext): number {
    this.lastToken = Math.max(this.lastToken + 1, ctx.index * 2 ** 20);
    return this.lastToken;
  }

  /** Releases a message's pin on its event as it leaves the group. */
  release(message: GroupMessage, ctx: ApplyContext): void {
    if (message.isPinned) {
      ctx.unpin(message.cursor);
    }
    message.isPinned = false;
  }

  /** Queues one `$groups.<kind>` event. */
  record(kind: string, fields: Partial<GroupEvent> & { group: string }): void {
    const payload: GroupEvent = {
      consumer: null,
      cursor: null,
      attempt: null,
      reason: null,
      at: null,
      assignee: null,
      error: null,
      ...fields,
    };
    const causation = payload.cursor ?? undefined;
    const topic = GROUPS_TOPIC_PREFIX + kind;
    this.queued.push({ topic, payload, causation });
  }
}
