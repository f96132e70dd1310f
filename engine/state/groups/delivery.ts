import { formatEventId } from '../event-id';
import type { ApplyContext, StateEvent } from '../module';
import { matchSubject } from '../../pubsub/subject';

import type {
  Delivery,
  FetchCommand,
  GroupResults,
  NakCommand,
  ReceiptCommand,
} from './commands';
import { GroupCommandError } from './errors';
import type { Group } from './group';
import type { GroupsCore } from './groups-core';
import { GROUPS_TOPIC_PREFIX } from './groups-core';
import { isReceipt } from './receipt';
import type { GroupDlqReason, GroupMessage } from './types';
import { GROUP_LIMITS } from './types';
import { checkCount } from './validate';

/**
 * How messages move: an event that matches a group's pattern becomes an
 * available message (the machine shows every applied event to
 * {@link offer}); a fetch makes it pending for one consumer; ack removes
 * it; nak, a visibility timeout or a redrive make it available again; the
 * last allowed delivery failing, or a term, dead-letters it.
 *
 * @packageDocumentation
 */

/**
 * Takes an applied event into every group whose pattern matches, pinning
 * it in the log while the group holds it. The module's own `$groups.*`
 * events are never taken, so a `$groups.>` group cannot feed itself.
 */
export function offer(
  core: GroupsCore,
  event: StateEvent,
  ctx: ApplyContext,
): void {
  if (event.topic.startsWith(GROUPS_TOPIC_PREFIX)) {
    return;
  }
  for (const id of core.groupIds) {
    const group = core.group(id);
    if (!matchSubject(group.config.pattern_str, event.topic)) {
      continue;
    }
    const isFull = group.backlog.size >= GROUP_LIMITS.backlogPerGroup;
    if (isFull || group.message(event.id) !== undefined) {
      group.dropped += isFull ? 1 : 0;
      continue;
    }
    group.add({
      cursor: { index: event.id.index, offset: event.id.offset },
      topic: event.topic,
      state: 'available',
      deliveries: 0,
      redriveCount: 0,
      lastError: null,
      isPinned: ctx.pin(event.id),
      due: ctx.now,
      assignee: null,
      consumer: null,
      fencingToken: 0,
      delivery: 0,
      deliveredAt: 0,
      deadline: 0,
      reason: null,
      enteredAt: 0,
    });
  }
}

/**
 * Hands up to `max` available messages to a member: due ones, soonest
 * first, skipping redeliveries meant for another member.
 */
export function fetch(
  core: GroupsCore,
  command: FetchCommand,
  ctx: ApplyContext,
): GroupResults['fetch'] {
  const group = core.group(command.group);
  const consumer = core.member(group, command.consumer, command.fencingToken);
  const max = checkCount(command.max, 'max');
  if (max < 1 || max > GROUP_LIMITS.fetchBatch) {
    throw new GroupCommandError(
      'INVALID_ARGUMENT',
      `max must be 1..${GROUP_LIMITS.fetchBatch}`,
    );
  }
  const held = group.pendingCount.get(consumer.id) ?? 0;
  const room = GROUP_LIMITS.pendingPerConsumer - held;
  if (room <= 0) {
    throw new GroupCommandError(
      'TOO_MANY_PENDING',
      `${consumer.id} holds ${held} deliveries in ${group.id}`,
    );
  }
  consumer.lastSeen = ctx.now;

  const chosen: GroupMessage[] = [];
  for (const message of group.backlog.values()) {
    if (chosen.length >= Math.min(max, room) || message.due > ctx.now) {
      break;
    }
    if (message.assignee === null || message.assignee === consumer.id) {
      chosen.push(message);
    }
  }
  const isAutoAck = group.config.ack_policy === 'auto_ack';
  const messages = chosen.map((message): Delivery => {
    group.makePending(message, consumer, ctx.now);
    const receipt = {
      cursor: { ...message.cursor },
      consumer: consumer.id,
      fencingToken: consumer.fencingToken,
      attempt: message.deliveries,
      delivery: message.delivery,
    };
    const event = ctx.event(message.cursor);
    core.record('delivered', {
      group: group.id,
      consumer: consumer.id,
      cursor: message.cursor,
      attempt: message.deliveries,
      at: message.deadline,
    });
    if (isAutoAck) {
      group.remove(message);
      core.release(message, ctx);
    }
    return {
      cursor: { ...message.cursor },
      topic: message.topic,
      attempt: receipt.attempt,
      receipt,
      deadline: message.deadline,
      event: event === undefined ? null : structuredClone(event),
    };
  });
  return { ok: true, messages };
}

/** The pending message a receipt names, or throws why not. */
function delivered(group: Group, receipt: unknown) {
  if (!isReceipt(receipt)) {
    throw new GroupCommandError('INVALID_RECEIPT', 'malformed receipt');
  }
  const message = group.message(receipt.cursor);
  const where = `${formatEventId(receipt.cursor)} in ${group.id}`;
  if (message === undefined) {
    throw new GroupCommandError('MESSAGE_NOT_FOUND', `no message ${where}`);
  }
  const current = group.consumers.get(receipt.consumer)?.fencingToken;
  const isCurrent =
    message.state === 'pending' &&
    message.consumer === receipt.consumer &&
    message.fencingToken === receipt.fencingToken &&
    message.deliveries === receipt.attempt &&
    message.delivery === receipt.delivery &&
    // a consumer that rejoined fenced its earlier session's receipts;
    // one that left may still settle what it holds (as production)
    (current === undefined || current === receipt.fencingToken);
  if (!isCurrent) {
    throw new GroupCommandError(
      'FENCED',
      `delivery ${receipt.delivery} of ${where} is no longer current`,
    );
  }
  return message;
}

/** ack, in-progress or term on one delivery. */
export function settle(
  core: GroupsCore,
  command: ReceiptCommand,
  ctx: ApplyContext,
): GroupResults['ack' | 'inProgress' | 'term'] {
  const group = core.group(command.group);
  const message = delivered(group, command.receipt);
  const { consumer, deliveries: attempt, cursor } = message;
  if (command.type === 'inProgress') {
    const visibility = group.config.visibility_timeout_ms;
    message.deadline = Math.max(message.deadline, ctx.now + visibility);
    return { ok: true, deadline: message.deadline };
  }
  if (command.type === 'term') {
    message.lastError = command.error ?? 'terminated';
    deadLetter(core, group, message, 'explicitly_rejected', ctx);
    return { ok: true, outcome: 'dead_lettered' };
  }
  group.remove(message);
  core.release(message, ctx);
  core.record('acked', { group: group.id, consumer, cursor, attempt });
  return { ok: true };
}

/** Gives a delivery back: requeued after `delayMs`, or dead-lettered. */
export function nak(
  core: GroupsCore,
  command: NakCommand,
  ctx: ApplyContext,
): GroupResults['nak'] {
  const group = core.group(command.group);
  const delayMs = checkCount(command.delayMs ?? 0, 'delayMs');
  const message = delivered(group, command.receipt);
  message.lastError = command.error ?? null;
  const outcome = retry(core, group, message, ctx, {
    due: ctx.now + delayMs,
    assignee: null,
    reason: 'nak',
  });
  return { ok: true, outcome };
}

/** Redelivers a pending message whose visibility ran out by `at`. */
export function expireVisibility(
  core: GroupsCore,
  group: Group,
  message: GroupMessage,
  ctx: ApplyContext,
): void {
  message.lastError = 'visibility timeout';
  retry(core, group, message, ctx, {
    due: ctx.now,
    assignee: group.nextAfter(message.consumer),
    reason: 'visibility_timeout',
  });
}

function retry(
  core: GroupsCore,
  group: Group,
  message: GroupMessage,
  ctx: ApplyContext,
  next: { due: number; assignee: string | null; reason: string },
): 'requeued' | 'dead_lettered' {
  if (message.deliveries >= group.config.max_delivery_attempts) {
    deadLetter(core, group, message, 'max_attempts_exceeded', ctx);
    return 'dead_lettered';
  }
  const consumer = message.consumer;
  group.makeAvailable(message, next.due, next.assignee);
  core.record('requeued', {
    group: group.id,
    consumer,
    cursor: message.cursor,
    attempt: message.deliveries,
    reason: next.reason,
    at: next.due,
    assignee: next.assignee,
    error: message.lastError,
  });
  return 'requeued';
}

function deadLetter(
  core: GroupsCore,
  group: Group,
  message: GroupMessage,
  reason: GroupDlqReason,
  ctx: ApplyContext,
): void {
  const consumer = message.consumer;
  const trimmed = group.makeDead(message, reason, ctx.now);
  trimmed.forEach((old) => core.release(old, ctx));
  core.record('dead_letter', {
    group: group.id,
    consumer,
    cursor: message.cursor,
    attempt: message.deliveries,
    reason,
    error: message.lastError,
  });
}
