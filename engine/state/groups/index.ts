/**
 * The groups module's public surface: the module, its commands and
 * results, receipts, events, queries and records.
 *
 * @packageDocumentation
 */

export type * from './commands';
export { GroupCommandError, GroupsSnapshotError } from './errors';
export type { GroupEvent } from './groups-core';
export { GROUPS_TOPIC_PREFIX } from './groups-core';
export { GroupsModule } from './groups-module';
export type * from './queries';
export { formatReceipt, isReceipt, parseReceipt } from './receipt';
export { GROUPS_SNAPSHOT_VERSION } from './snapshot';
export type * from './types';
export {
  DEFAULT_GROUP_CONFIG,
  GROUP_CONFIG_RANGES,
  GROUP_LIMITS,
} from './types';
