/**
 * The jobs module's public surface: the module, its commands and results,
 * its events, queries and records.
 *
 * @packageDocumentation
 */

export { retryDelay } from './backoff';
export type * from './commands';
export { JobCommandError, JobsSnapshotError } from './errors';
export type { AttemptEnd, JobEvent } from './events';
export { JOBS_TOPIC_PREFIX, jobTopic } from './events';
export { JobsModule } from './jobs-module';
export type * from './queries';
export { JOBS_SNAPSHOT_VERSION } from './snapshot';
export type * from './types';
export {
  DEFAULT_BACKOFF,
  DEFAULT_JOBS_CONFIG,
  LEASE_MARGIN_MS,
  PRIORITIES,
} from './types';
