import type { EventId } from '../module';

import type { Group } from './group';
import type { GroupConfig, GroupDlqReason, GroupMessage } from './types';

/**
 * Read-only views of the groups for the UI: members, pending deliveries,
 * the DLQ. Queries, not commands: they change nothing.
 *
 * @packageDocumentation
 */

/** A member and how many deliveries it holds. */
export interface MemberView {
  id: string;
  fencingToken: number;
  joinedAt: number;
  lastSeen: number;
  pending: number;
}

/** A group at a glance. */
export interface GroupView {
  id: string;
  config: GroupConfig;
  /** Production's group states that apply here: no members, or some. */
  state: 'empty' | 'stable';
  members: MemberView[];
  /** Messages waiting for a fetch. */
  available: number;
  pending: number;
  dead: number;
  /** Messages not taken because the backlog was full. */
  dropped: number;
}

/** One delivery a consumer holds. */
export interface PendingView {
  cursor: EventId;
  topic: string;
  consumer: string;
  attempt: number;
  deliveredAt: number;
  deadline: number;
}

/** One DLQ entry. */
export interface GroupDlqView {
  cursor: EventId;
  topic: string;
  reason: GroupDlqReason;
  /** Deliveries made before it entered. */
  attempts: number;
  lastError: string | null;
  lastConsumer: string | null;
  enteredAt: number;
  redriveCount: number;
}

/** The view of one group. */
export function viewGroup(group: Group): GroupView {
  const members = group.memberIds.map((id) => {
    const { fencingToken, joinedAt, lastSeen } = group.consumers.get(id)!;
    const pending = group.pendingCount.get(id) ?? 0;
    return { id, fencingToken, joinedAt, lastSeen, pending };
  });
  let pending = 0;
  group.pendingCount.forEach((count) => (pending += count));
  return {
    id: group.id,
    config: { ...group.config },
    state: members.length === 0 ? 'empty' : 'stable',
    members,
    available: group.backlog.size,
    pending,
    dead: group.dlq.length,
    dropped: group.dropped,
  };
}

/** Pending deliveries in cursor order. */
export function pendingList(group: Group): PendingView[] {
  return group.pending().map((message) => ({
    cursor: { ...message.cursor },
    topic: message.topic,
    consumer: message.consumer!,
    attempt: message.deliveries,
    deliveredAt: message.deliveredAt,
    deadline: message.deadline,
  }));
}

/** DLQ entries, oldest first. */
export function dlqList(group: Group): GroupDlqView[] {
  return group.dlq.map((message: GroupMessage) => ({
    cursor: { ...message.cursor },
    topic: message.topic,
    reason: message.reason!,
    attempts: message.deliveries,
    lastError: message.lastError,
    lastConsumer: message.consumer,
    enteredAt: message.enteredAt,
    redriveCount: message.redriveCount,
  }));
}
