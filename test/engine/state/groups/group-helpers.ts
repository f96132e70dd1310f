import type { Delivery } from '../../../../engine/state/groups/commands';
import type { GroupsModule } from '../../../../engine/state/groups/groups-module';
import type { GroupConfig } from '../../../../engine/state/groups/types';
import { ok } from '../jobs/job-helpers';
import type { TestContext } from '../jobs/test-context';

export { codeOf, ok } from '../jobs/job-helpers';

/**
 * Publishes an event the way the machine does: appended to the log in a
 * new entry, then shown to the module.
 */
export function publish(
  groups: GroupsModule,
  ctx: TestContext,
  topic: string,
  payload: unknown = null,
) {
  ctx.next();
  const id = ctx.emit(topic, payload);
  groups.observe(ctx.event(id)!, ctx);
  return id;
}

/** Creates group `g` with some config in a new entry. */
export function createGroup(
  groups: GroupsModule,
  ctx: TestContext,
  config: Partial<GroupConfig> = {},
  group = 'g',
) {
  return ok(groups.apply({ type: 'create', group, config }, ctx.next()));
}

/** Joins a consumer to `g` in a new entry; returns its fencing token. */
export function joinGroup(
  groups: GroupsModule,
  ctx: TestContext,
  consumer: string,
): number {
  const command = { type: 'join', group: 'g', consumer } as const;
  return ok(groups.apply(command, ctx.next())).fencingToken;
}

/** Fetches for a member of `g` in a new entry. */
export function fetchFor(
  groups: GroupsModule,
  ctx: TestContext,
  consumer: string,
  fencingToken: number,
  max = 10,
): Delivery[] {
  const command = {
    type: 'fetch',
    group: 'g',
    consumer,
    fencingToken,
    max,
  } as const;
  return ok(groups.apply(command, ctx.next())).messages;
}
