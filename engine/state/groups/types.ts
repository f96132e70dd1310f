import type { EventId } from '../module';

/**
 * Consumer-group records, configuration and limits, with production's
 * names and ranges (reference §9.3).
 *
 * @packageDocumentation
 */

/**
 * A group's configuration, with production's `ConsumerGroupConfig` field
 * names (snake_case, as the exported config spells them). Only competing
 * consumers with one partition are supported.
 */
export interface GroupConfig {
  /** Subject pattern of the events the group receives. @defaultValue '>' */
  pattern_str: string;
  /** @defaultValue 'competing' (the only mode the studio runs) */
  assignment_mode: 'competing';
  /** `auto_ack`: a fetched message is done at once. @defaultValue 'explicit' */
  ack_policy: 'explicit' | 'auto_ack';
  /** @defaultValue 1 (the only count the studio runs) */
  partition_count: 1;
  /** How long a fetched message stays invisible to others (ms). */
  visibility_timeout_ms: number;
  /** Deliveries before a message goes to the DLQ. */
  max_delivery_attempts: number;
  /** A consumer silent this long is removed (ms). */
  consumer_heartbeat_timeout_ms: number;
}

/** Production's defaults. */
export const DEFAULT_GROUP_CONFIG: Readonly<GroupConfig> = {
  pattern_str: '>',
  assignment_mode: 'competing',
  ack_policy: 'explicit',
  partition_count: 1,
  visibility_timeout_ms: 30_000,
  max_delivery_attempts: 5,
  consumer_heartbeat_timeout_ms: 30_000,
};

/** Production's ranges, inclusive. */
export const GROUP_CONFIG_RANGES = {
  visibility_timeout_ms: [1_000, 43_200_000],
  max_delivery_attempts: [1, 100],
  consumer_heartbeat_timeout_ms: [1_000, 43_200_000],
} as const;

/** Production's limits (reference §9.3) plus the studio's backlog bound. */
export const GROUP_LIMITS = {
  groups: 1000,
  consumersPerGroup: 100,
  pendingPerConsumer: 1000,
  fetchBatch: 100,
  dlqPerGroup: 10_000,
  /** Undelivered messages a group holds; more are dropped and counted. */
  backlogPerGroup: 10_000,
} as const;

/** Why a message sits in a group's DLQ. */
export type GroupDlqReason =
  /** Production's only reason: delivered `max_delivery_attempts` times. */
  | 'max_attempts_exceeded'
  /** A consumer termed it (studio: production has no term). */
  | 'explicitly_rejected';

/** One member of a group. */
export interface Consumer {
  id: string;
  /** Current fencing token; a rejoin issues a new one. */
  fencingToken: number;
  joinedAt: number;
  /** Last join, heartbeat or fetch (ms). */
  lastSeen: number;
}

/** Where a message is in its group. */
export type MessageState = 'available' | 'pending' | 'dead_letter';

/**
 * One event held by a group, from the moment it matched until it is acked,
 * purged or trimmed. It keeps its event pinned in the log meanwhile.
 */
export interface GroupMessage {
  /** The event's id; the message's identity in the group. */
  cursor: EventId;
  topic: string;
  state: MessageState;
  /** Deliveries made so far (the next one is `deliveries + 1`). */
  deliveries: number;
  redriveCount: number;
  lastError: string | null;
  isPinned: boolean;
  /** available: when it may be fetched (ms). */
  due: number;
  /** available: the consumer a redelivery is meant for, if any. */
  assignee: string | null;
  /** pending: the delivery the receipt must match. */
  consumer: string | null;
  fencingToken: number;
  /** pending: the group-wide delivery number, unique per fetch. */
  delivery: number;
  deliveredAt: number;
  deadline: number;
  /** dead_letter: why and since when. */
  reason: GroupDlqReason | null;
  enteredAt: number;
}

/**
 * What a consumer must present to ack, nak, extend or term a delivery.
 * Production signs its receipt handle; here the state machine compares
 * every field with the pending delivery, which is as strong inside the log.
 */
export interface Receipt {
  cursor: EventId;
  consumer: string;
  fencingToken: number;
  /** Which delivery of the message, from 1. */
  attempt: number;
  /** Group-wide delivery number: no two fetches share one. */
  delivery: number;
}
