import { formatEventId, parseEventId } from '../event-id';
import type { ApplyContext, StateEvent, StateModule } from '../module';

import type {
  GroupCommand,
  GroupResult,
  GroupResultOf,
  GroupResults,
} from './commands';
import { expireVisibility, fetch, nak, offer, settle } from './delivery';
import { GroupCommandError } from './errors';
import { purge, redrive } from './group-dlq';
import { GroupsCore } from './groups-core';
import {
  create,
  expireSession,
  join,
  member,
  remove,
  renew,
} from './membership';
import type { GroupDlqView, GroupView, PendingView } from './queries';
import { dlqList, pendingList, viewGroup } from './queries';
import { readSnapshot, writeSnapshot } from './snapshot';

const VISIBILITY_ID = 'visibility:';
const SESSION_ID = 'session:';

/**
 * Consumer groups (DESIGN §3.3, reference §9.3): competing consumers with
 * fencing tokens, fetch with receipts, ack / nak(delay) / in-progress /
 * term, visibility timeouts with redelivery, a DLQ after
 * `max_delivery_attempts`, and redrive.
 *
 * Delivery is push from the log: the machine shows every applied event to
 * {@link GroupsModule.observe}, and each group whose pattern matches takes
 * it (pinned in the log until the group lets go); consumers then fetch.
 * A delivery whose visibility runs out goes to the next member in id order
 * after the one that held it, with the next attempt number.
 *
 * Deadline ids are `visibility:<group>:<index.offset>` and
 * `session:<group>:<consumer>`; they reach the module through the
 * machine's `expire` entry or a groups `expire` command. Events are
 * `$groups.*` (see `./groups-core`).
 */
export class GroupsModule implements StateModule<GroupCommand, GroupResult> {
  private core = new GroupsCore();

  /** Applies one command; a refused command changes nothing. */
  apply<C extends GroupCommand>(
    command: C,
    ctx: ApplyContext,
  ): GroupResultOf<C['type']> {
    const result = this.core.run(ctx, () => this.dispatch(command, ctx));
    return result as GroupResultOf<C['type']>;
  }

  /** Takes a matching event into the groups that want it. */
  observe(event: StateEvent, ctx: ApplyContext): void {
    this.core.run(ctx, () => offer(this.core, event, ctx));
  }

  /** Handles deadline ids that passed; returns those it expired. */
  expire(ids: string[], ctx: ApplyContext): string[] {
    return this.core.run(ctx, () => this.expireIds(ids, ctx.now, ctx)).expired;
  }

  /** Visibility deadlines and session timeouts, ascending. */
  deadlines(): { due: number; id: string }[] {
    const out: { due: number; id: string }[] = [];
    for (const id of this.core.groupIds) {
      const group = this.core.group(id);
      for (const message of group.pending()) {
        const cursor = formatEventId(message.cursor);
        out.push({
          due: message.deadline,
          id: `${VISIBILITY_ID}${id}:${cursor}`,
        });
      }
      const timeout = group.config.consumer_heartbeat_timeout_ms;
      for (const consumer of group.memberIds) {
        const lastSeen = group.consumers.get(consumer)!.lastSeen;
        out.push({
          due: lastSeen + timeout,
          id: `${SESSION_ID}${id}:${consumer}`,
        });
      }
    }
    // stable: ties keep group, then cursor or member, order
    return out.sort((a, b) => a.due - b.due);
  }

  /** Plain data (see `./snapshot`). */
  snapshot(): unknown {
    return writeSnapshot(this.core);
  }

  /** Replaces the whole state; `undefined` means the initial state. */
  restore(data: unknown): void {
    this.core = data === undefined ? new GroupsCore() : readSnapshot(data);
  }

  /** Every group at a glance, in id order. */
  groups(): GroupView[] {
    return this.core.groupIds.map((id) => viewGroup(this.core.group(id)));
  }

  /** A group's pending deliveries, or undefined for no such group. */
  pending(group: string): PendingView[] | undefined {
    const found = this.core.groups.get(group);
    return found && pendingList(found);
  }

  /** A group's DLQ, or undefined for no such group. */
  dlq(group: string): GroupDlqView[] | undefined {
    const found = this.core.groups.get(group);
    return found && dlqList(found);
  }

  private dispatch(command: GroupCommand, ctx: ApplyContext): unknown {
    const core = this.core;
    if (typeof command !== 'object' || command === null) {
      throw new GroupCommandError(
        'INVALID_ARGUMENT',
        'a group command is an object',
      );
    }
    switch (command.type) {
      case 'create':
        return create(core, command, ctx);
      case 'delete':
        return remove(core, command.group, ctx);
      case 'join':
        return join(core, command, ctx);
      case 'leave':
      case 'heartbeat':
        return member(core, command, ctx);
      case 'fetch':
        return fetch(core, command, ctx);
      case 'ack':
      case 'inProgress':
      case 'term':
        return settle(core, command, ctx);
      case 'nak':
        return nak(core, command, ctx);
      case 'expire':
        // never past what the leader saw, nor past the entry's own time
        return this.expireIds(command.ids, Math.min(command.now, ctx.now), ctx);
      case 'renew':
        return renew(core, ctx.now);
      case 'redrive':
        return redrive(core, command, ctx);
      case 'purge':
        return purge(core, command, ctx);
      default: {
        const type = JSON.stringify((command as { type?: unknown }).type);
        throw new GroupCommandError(
          'INVALID_ARGUMENT',
          `unknown group command ${type}`,
        );
      }
    }
  }

  private expireIds(
    ids: string[],
    at: number,
    ctx: ApplyContext,
  ): GroupResults['expire'] {
    const expired: string[] = [];
    const ignored: string[] = [];
    for (const id of ids) {
      const [kind, groupId, rest] = id.split(':');
      const group = this.core.groups.get(groupId ?? '');
      let isDone = false;
      if (`${kind}:` === SESSION_ID && group && rest) {
        isDone = expireSession(this.core, group.id, rest, at);
      } else if (`${kind}:` === VISIBILITY_ID && group && rest) {
        const cursor = parseEventId(rest);
        const message = cursor && group.message(cursor);
        if (message?.state === 'pending' && message.deadline <= at) {
          expireVisibility(this.core, group, message, ctx);
          isDone = true;
        }
      }
      (isDone ? expired : ignored).push(id);
    }
    return { ok: true, expired, ignored };
  }
}
