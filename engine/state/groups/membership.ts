import type { ApplyContext } from '../module';

import type {
  CreateGroupCommand,
  GroupResults,
  JoinCommand,
  MemberCommand,
} from './commands';
import { GroupCommandError } from './errors';
import { Group } from './group';
import type { GroupsCore } from './groups-core';
import { GROUP_LIMITS } from './types';
import { checkId, groupConfig } from './validate';

/**
 * Group lifecycle and membership: create, delete, join, leave, heartbeat,
 * session expiry and the new leader's renewal.
 *
 * @packageDocumentation
 */

/** Creates a group with production's defaults for unset config fields. */
export function create(
  core: GroupsCore,
  command: CreateGroupCommand,
  ctx: ApplyContext,
): GroupResults['create'] {
  const id = checkId(command.group, 'group');
  const config = groupConfig(command.config);
  if (core.groups.has(id)) {
    throw new GroupCommandError('GROUP_EXISTS', `group ${id} exists`);
  }
  if (core.groups.size >= GROUP_LIMITS.groups) {
    throw new GroupCommandError(
      'TOO_MANY_GROUPS',
      `at most ${GROUP_LIMITS.groups} groups`,
    );
  }
  core.groups.set(id, new Group(id, config, ctx.now));
  core.groupIds.push(id);
  core.groupIds.sort();
  core.record('created', { group: id });
  return { ok: true, group: id, config: { ...config } };
}

/** Deletes a group and releases every event it held. */
export function remove(
  core: GroupsCore,
  id: string,
  ctx: ApplyContext,
): GroupResults['delete'] {
  const group = core.group(id);
  const held = [...group.messages.values()];
  held.forEach((message) => core.release(message, ctx));
  core.groups.delete(id);
  core.groupIds.splice(core.groupIds.indexOf(id), 1);
  core.record('deleted', { group: id });
  return { ok: true, dropped: held.length };
}

/**
 * Joins a consumer, or rejoins it with a new fencing token: receipts of
 * its earlier session are fenced from then on.
 */
export function join(
  core: GroupsCore,
  command: JoinCommand,
  ctx: ApplyContext,
): GroupResults['join'] {
  const group = core.group(command.group);
  const id = checkId(command.consumer, 'consumer');
  const isRejoin = group.consumers.has(id);
  if (!isRejoin && group.consumers.size >= GROUP_LIMITS.consumersPerGroup) {
    throw new GroupCommandError(
      'TOO_MANY_CONSUMERS',
      `group ${group.id} has ${GROUP_LIMITS.consumersPerGroup} consumers`,
    );
  }
  const fencingToken = core.nextToken(ctx);
  const joinedAt = group.consumers.get(id)?.joinedAt ?? ctx.now;
  group.setConsumer({ id, fencingToken, joinedAt, lastSeen: ctx.now });
  core.record('joined', { group: group.id, consumer: id });
  return { ok: true, fencingToken, isRejoin };
}

/**
 * Leave or heartbeat. A consumer that leaves keeps its deliveries until
 * they are acked or time out (as production: an ack after leaving still
 * counts); redeliveries meant for it go to anyone.
 */
export function member(
  core: GroupsCore,
  command: MemberCommand,
  ctx: ApplyContext,
): GroupResults['leave' | 'heartbeat'] {
  const group = core.group(command.group);
  const consumer = core.member(group, command.consumer, command.fencingToken);
  if (command.type === 'heartbeat') {
    consumer.lastSeen = ctx.now;
    return { ok: true };
  }
  group.removeConsumer(consumer.id);
  core.record('left', {
    group: group.id,
    consumer: consumer.id,
    reason: 'left',
  });
  return { ok: true };
}

/** Removes a member whose session ran out by `at`; false if it did not. */
export function expireSession(
  core: GroupsCore,
  groupId: string,
  consumerId: string,
  at: number,
): boolean {
  const group = core.groups.get(groupId);
  const consumer = group?.consumers.get(consumerId);
  const timeout = group?.config.consumer_heartbeat_timeout_ms ?? 0;
  if (!group || !consumer || consumer.lastSeen + timeout > at) {
    return false;
  }
  group.removeConsumer(consumerId);
  const reason = 'session_expired';
  core.record('left', { group: groupId, consumer: consumerId, reason });
  return true;
}

/**
 * A new leader's renewal: every visibility deadline and every session
 * runs at least a full timeout from now, so the time a failover took is
 * never held against a consumer.
 */
export function renew(core: GroupsCore, now: number): GroupResults['renew'] {
  for (const id of core.groupIds) {
    const group = core.group(id);
    const visibility = group.config.visibility_timeout_ms;
    for (const message of group.messages.values()) {
      if (message.state === 'pending') {
        message.deadline = Math.max(message.deadline, now + visibility);
      }
    }
    for (const consumer of group.consumers.values()) {
      consumer.lastSeen = Math.max(consumer.lastSeen, now);
    }
  }
  return { ok: true };
}
