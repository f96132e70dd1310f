import type { ApplyContext, EventId } from '../module';

import type { GroupDlqSelector, GroupResults } from './commands';
import { GroupCommandError } from './errors';
import type { Group } from './group';
import type { GroupsCore } from './groups-core';
import type { GroupMessage } from './types';

/**
 * Redrive and purge of a group's DLQ. Redrive is a studio extension:
 * production has none for consumer groups (reference §9.3).
 *
 * @packageDocumentation
 */

/**
 * Makes DLQ messages available again at once, to any member, with their
 * delivery count back at 0; `redriveCount` goes up.
 */
export function redrive(
  core: GroupsCore,
  selector: GroupDlqSelector,
  ctx: ApplyContext,
): GroupResults['redrive'] {
  const group = core.group(selector.group);
  const { selected, skipped } = select(group, selector);
  for (const message of selected) {
    group.makeAvailable(message, ctx.now, null);
    message.deliveries = 0;
    message.redriveCount += 1;
    const { cursor } = message;
    core.record('redriven', { group: group.id, cursor });
  }
  const redriven = selected.map((message) => ({ ...message.cursor }));
  return { ok: true, redriven, skipped };
}

/** Deletes DLQ messages for good, releasing their events. */
export function purge(
  core: GroupsCore,
  selector: GroupDlqSelector,
  ctx: ApplyContext,
): GroupResults['purge'] {
  const group = core.group(selector.group);
  const { selected, skipped } = select(group, selector);
  for (const message of selected) {
    group.remove(message);
    core.release(message, ctx);
    core.record('purged', { group: group.id, cursor: message.cursor });
  }
  const purged = selected.map((message) => ({ ...message.cursor }));
  return { ok: true, purged, skipped };
}

// cursors in the order given, or the whole DLQ oldest first; cursors that
// are not in the DLQ are reported, not refused
function select(group: Group, selector: GroupDlqSelector) {
  if ('all' in selector && selector.all === true) {
    return { selected: [...group.dlq], skipped: [] as EventId[] };
  }
  const cursors = (selector as { cursors?: unknown }).cursors;
  if (!Array.isArray(cursors)) {
    throw new GroupCommandError(
      'INVALID_ARGUMENT',
      'give either cursors or all: true',
    );
  }
  const selected: GroupMessage[] = [];
  const skipped: EventId[] = [];
  for (const cursor of cursors as EventId[]) {
    const message = group.message(cursor);
    const isDead = message?.state === 'dead_letter';
    if (isDead && !selected.includes(message)) {
      selected.push(message);
    } else {
      skipped.push(cursor);
    }
  }
  return { selected, skipped };
}
