/**
 * The forward handler's NATS side: parse a forward target, and publish to
 * a NATS subject through one shared, bounded connection per server,
 * reporting an outcome the dispatcher turns into success, retry or DLQ.
 *
 * @packageDocumentation
 */

export type {
  ForwardFailureReason,
  ForwardMode,
  ForwardOutcome,
  ForwardRequest,
  NatsForwarderStats,
} from './forward-outcome';
export {
  DEFAULT_NATS_PORT,
  InvalidForwardTargetError,
  MAX_NATS_SUBJECT_BYTES,
  natsSubjectProblem,
  parseForwardTarget,
  type ForwardTarget,
} from './forward-target';
export { NatsForwarder, type NatsForwarderOptions } from './nats-forwarder';
export {
  ForwardersClosedError,
  NatsForwarders,
  type SharedForwarderOptions,
} from './nats-forwarders';
export { DEFAULT_RECONNECT_BUFFER_BYTES } from './reconnect-buffer';
export { DEFAULT_STREAM_CACHE_MS } from './stream-lookup';
