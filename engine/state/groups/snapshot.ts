import { GroupsSnapshotError } from './errors';
import { Group } from './group';
import { GroupsCore } from './groups-core';
import type { Consumer, GroupConfig, GroupMessage } from './types';

/**
 * The groups module's snapshot: plain data with a format version, groups
 * and members in id order, the backlog in fetch order, pending messages
 * in cursor order and the DLQ in entry order, every record written field
 * by field, so a replica that restored and one that replayed encode byte
 * for byte alike.
 *
 * @packageDocumentation
 */

/** The format this build writes and reads. */
export const GROUPS_SNAPSHOT_VERSION = 1;

/** One group in a snapshot. */
export interface GroupRecord {
  id: string;
  config: GroupConfig;
  createdAt: number;
  deliverySeq: number;
  dropped: number;
  consumers: Consumer[];
  backlog: GroupMessage[];
  pending: GroupMessage[];
  dlq: GroupMessage[];
}

/** The snapshot's shape. */
export interface GroupsSnapshot {
  version: number;
  lastToken: number;
  groups: GroupRecord[];
}

function copyConfig(config: GroupConfig): GroupConfig {
  return {
    pattern_str: config.pattern_str,
    assignment_mode: config.assignment_mode,
    ack_policy: config.ack_policy,
    partition_count: config.partition_count,
    visibility_timeout_ms: config.visibility_timeout_ms,
    max_delivery_attempts: config.max_delivery_attempts,
    consumer_heartbeat_timeout_ms: config.consumer_heartbeat_timeout_ms,
  };
}

function copyConsumer(consumer: Consumer): Consumer {
  const { id, fencingToken, joinedAt, lastSeen } = consumer;
  return { id, fencingToken, joinedAt, lastSeen };
}

function copyMessage(message: GroupMessage): GroupMessage {
  return {
    cursor: { index: message.cursor.index, offset: message.cursor.offset },
    topic: message.topic,
    state: message.state,
    deliveries: message.deliveries,
    redriveCount: message.redriveCount,
    lastError: message.lastError,
    isPinned: message.isPinned,
    due: message.due,
    assignee: message.assignee,
    consumer: message.consumer,
    fencingToken: message.fencingToken,
    delivery: message.delivery,
    deliveredAt: message.deliveredAt,
    deadline: message.deadline,
    reason: message.reason,
    enteredAt: message.enteredAt,
  };
}

/** The core as a {@link GroupsSnapshot}. */
export function writeSnapshot(core: GroupsCore): GroupsSnapshot {
  const groups = core.groupIds.map((id): GroupRecord => {
    const group = core.group(id);
    return {
      id,
      config: copyConfig(group.config),
      createdAt: group.createdAt,
      deliverySeq: group.deliverySeq,
      dropped: group.dropped,
      consumers: group.memberIds.map((member) =>
        copyConsumer(group.consumers.get(member) as Consumer),
      ),
      backlog: group.backlog.values().map(copyMessage),
      pending: group.pending().map(copyMessage),
      dlq: group.dlq.map(copyMessage),
    };
  });
  return {
    version: GROUPS_SNAPSHOT_VERSION,
    lastToken: core.lastToken,
    groups,
  };
}

/**
 * A core rebuilt from a {@link GroupsSnapshot}.
 *
 * @throws {@link GroupsSnapshotError} for another version or a broken body
 */
export function readSnapshot(data: unknown): GroupsCore {
  const snapshot = data as Partial<GroupsSnapshot> | null;
  if (snapshot?.version !== GROUPS_SNAPSHOT_VERSION) {
    const found = JSON.stringify(snapshot?.version);
    throw new GroupsSnapshotError(
      `groups snapshot version ${found} is not ${GROUPS_SNAPSHOT_VERSION}; ` +
        'export the workspace or reset the cluster',
    );
  }
  if (
    !Array.isArray(snapshot.groups) ||
    !Number.isSafeInteger(snapshot.lastToken)
  ) {
    throw new GroupsSnapshotError('groups snapshot is malformed');
  }

  const core = new GroupsCore();
  core.lastToken = snapshot.lastToken as number;
  for (const record of snapshot.groups) {
    const group = new Group(
      record.id,
      copyConfig(record.config),
      record.createdAt,
    );
    group.deliverySeq = record.deliverySeq;
    group.dropped = record.dropped;
    record.consumers.forEach((c) => group.setConsumer(copyConsumer(c)));
    record.backlog.forEach((m) => group.add(copyMessage(m)));
    for (const message of [...record.pending, ...record.dlq]) {
      group.restoreMessage(copyMessage(message));
    }
    core.groups.set(group.id, group);
    core.groupIds.push(group.id);
  }
  return core;
}
