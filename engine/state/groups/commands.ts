import type { EventId, StateEvent } from '../module';

import type { GroupConfig, Receipt } from './types';

/**
 * The commands of the groups module and what each returns.
 *
 * @packageDocumentation
 */

/** Creates a group; unset config fields take production's defaults. */
export interface CreateGroupCommand {
  type: 'create';
  group: string;
  config?: Partial<GroupConfig>;
}

/** Deletes a group with everything it holds. */
export interface DeleteGroupCommand {
  type: 'delete';
  group: string;
}

/** Joins (or rejoins, with a new fencing token) a consumer. */
export interface JoinCommand {
  type: 'join';
  group: string;
  consumer: string;
}

/** A member's own request, fenced by its token. */
export interface MemberCommand {
  type: 'leave' | 'heartbeat';
  group: string;
  consumer: string;
  fencingToken: number;
}

/** Takes up to `max` (≤ 100) messages for a member. */
export interface FetchCommand {
  type: 'fetch';
  group: string;
  consumer: string;
  fencingToken: number;
  max: number;
}

/** Settles one delivery. */
export interface ReceiptCommand {
  type: 'ack' | 'inProgress' | 'term';
  group: string;
  receipt: Receipt;
  /** term: why. */
  error?: string;
}

/**
 * Gives a delivery back. Studio extension: the message is requeued, due
 * after `delayMs`; production's nack only deletes the pending entry.
 */
export interface NakCommand {
  type: 'nak';
  group: string;
  receipt: Receipt;
  delayMs?: number;
  error?: string;
}

/** Deadlines the leader saw pass at `now`, each re-checked on apply. */
export interface ExpireCommand {
  type: 'expire';
  ids: string[];
  now: number;
}

/**
 * A new leader renews every visibility deadline and consumer session it
 * inherits before its timers run, so failover alone expires nothing.
 */
export interface RenewCommand {
  type: 'renew';
}

/** Which DLQ entries of a group a redrive or purge takes. */
export type GroupDlqSelector =
  { group: string; cursors: readonly EventId[] } | { group: string; all: true };

/**
 * Sends DLQ messages back to the group, deliverable at once with their
 * delivery count reset. Studio extension: production has no group redrive.
 */
export type RedriveCommand = { type: 'redrive' } & GroupDlqSelector;

/** Deletes DLQ messages for good. */
export type PurgeCommand = { type: 'purge' } & GroupDlqSelector;

/** Every command of the groups module. */
export type GroupCommand =
  | CreateGroupCommand
  | DeleteGroupCommand
  | JoinCommand
  | MemberCommand
  | FetchCommand
  | ReceiptCommand
  | NakCommand
  | ExpireCommand
  | RenewCommand
  | RedriveCommand
  | PurgeCommand;

/** Stable codes of refused group commands. */
export type GroupErrorCode =
  | 'INVALID_ARGUMENT'
  | 'GROUP_EXISTS'
  | 'GROUP_NOT_FOUND'
  | 'NOT_MEMBER'
  | 'TOO_MANY_GROUPS'
  | 'TOO_MANY_CONSUMERS'
  /** The consumer already holds 1000 deliveries. */
  | 'TOO_MANY_PENDING'
  /** The receipt is malformed (production: `InvalidHandle`). */
  | 'INVALID_RECEIPT'
  /** No such message in the group (production: `NotFound`). */
  | 'MESSAGE_NOT_FOUND'
  /** A stale token or a delivery that is no longer current. */
  | 'FENCED';

/** A refused command, in the machine's `ErrorResult` shape. */
export interface GroupFailure {
  ok: false;
  error: { code: GroupErrorCode; message: string };
}

/** One message handed to a consumer. */
export interface Delivery {
  cursor: EventId;
  topic: string;
  /** Which delivery of this message, from 1. */
  attempt: number;
  receipt: Receipt;
  /** When it becomes visible to others again unless settled (ms). */
  deadline: number;
  /** The event itself (null if the log no longer holds it). */
  event: StateEvent | null;
}

/** The successful result of each command type. */
export interface GroupResults {
  create: { ok: true; group: string; config: GroupConfig };
  delete: { ok: true; dropped: number };
  join: { ok: true; fencingToken: number; isRejoin: boolean };
  leave: { ok: true };
  heartbeat: { ok: true };
  fetch: { ok: true; messages: Delivery[] };
  ack: { ok: true };
  inProgress: { ok: true; deadline: number };
  term: { ok: true; outcome: 'dead_lettered' };
  nak: { ok: true; outcome: 'requeued' | 'dead_lettered' };
  expire: { ok: true; expired: string[]; ignored: string[] };
  renew: { ok: true };
  redrive: { ok: true; redriven: EventId[]; skipped: EventId[] };
  purge: { ok: true; purged: EventId[]; skipped: EventId[] };
}

/** What applying a command of type `T` returns. */
export type GroupResultOf<T extends GroupCommand['type']> =
  GroupResults[T] | GroupFailure;

/** What applying any group command returns. */
export type GroupResult = GroupResultOf<GroupCommand['type']>;
