import { z } from 'zod';

import { isEventId } from './event-id';
import type { EventId } from './module';

/**
 * The commands a `normal` entry carries, as a tagged union on `t`, and the
 * limits apply enforces. Limits follow production where it has one
 * (reference §9.1); they are checked in apply, so every replica rejects
 * the same commands.
 *
 * @packageDocumentation
 */

/** Most operations in a `kv.batch` and messages in a `publishBatch`. */
export const MAX_BATCH = 100;

/** Most UTF-8 bytes in a KV key. */
export const MAX_KEY_BYTES = 4096;

/** Most bytes in a KV value (UTF-8 bytes for a string). */
export const MAX_VALUE_BYTES = 1_048_576;

/** Most headers on one publish (production `MAX_HEADERS`). */
export const MAX_HEADERS = 32;

/** Most UTF-8 bytes in a header name / value (production limits). */
export const MAX_HEADER_KEY_BYTES = 256;
export const MAX_HEADER_VALUE_BYTES = 4096;

/** Longest TTL a key may carry: one year of cluster time. */
export const MAX_TTL_MS = 365 * 24 * 3600 * 1000;

/** A KV value: bytes, or a string (kept as a string). */
export type KvValue = Uint8Array | string;

/** One write of a `kv.batch`. */
export type KvBatchOp =
  | { op: 'put'; key: string; value: KvValue; ttlMs?: number }
  | { op: 'delete'; key: string };

/** One message of a `publish` or `publishBatch`. */
export interface PublishMessage {
  topic: string;
  payload: unknown;
  headers?: Record<string, string>;
  /** The event this publish answers (a handler's output). */
  causation?: EventId;
  /** Causation hops so far; defaults to 0, or 1 more than unknown. */
  depth?: number;
}

/** Every command a `normal` entry can carry. */
export type Command =
  | { t: 'kv.put'; key: string; value: KvValue; ttlMs?: number }
  | { t: 'kv.delete'; key: string }
  | {
      t: 'kv.cas';
      key: string;
      /** The value the key must hold; null: the key must be absent. */
      expected: KvValue | null;
      value: KvValue;
      ttlMs?: number;
    }
  | { t: 'kv.batch'; ops: KvBatchOp[] }
  | ({ t: 'publish' } & PublishMessage)
  | { t: 'publishBatch'; messages: PublishMessage[] }
  /**
   * Deadlines (`kv:<key>`, `<module>:<id>`) the leader's timer service saw
   * pass at its cluster time `now`. Apply re-checks each against the
   * entry's cluster time, so a deadline that moved since is skipped.
   */
  | { t: 'expire'; ids: string[]; now: number }
  /** A fact the leader chose to replicate (a snapshot taken, a health change). */
  | { t: 'observed'; kind: string; payload: unknown }
  | { t: 'hooks.config'; version: number; text: string }
  | { t: 'jobs'; cmd: unknown }
  | { t: 'groups'; cmd: unknown };

/** The envelope every `normal` entry's data encodes (format version 1). */
export interface Envelope {
  v: 1;
  /** The leader's cluster time when it proposed, in ms. */
  time: number;
  /** A uint32 the leader drew for this entry (jitter); 0 when none. */
  random: number;
  /** Client session id (thesis §6.3); with `seq`, makes retries safe. */
  client?: string;
  /** The client's sequence number for this command. */
  seq?: number;
  cmd: Command;
}

/** UTF-8 byte length of a string, without allocating. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes += 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

/** Byte size of a KV value. */
export function valueSize(value: KvValue): number {
  return typeof value === 'string' ? utf8Length(value) : value.byteLength;
}

const bytesAtMost = (max: number) => (text: string) => utf8Length(text) <= max;

const key = z
  .string()
  .min(1, 'key is empty')
  .refine(bytesAtMost(MAX_KEY_BYTES), `key is over ${MAX_KEY_BYTES} bytes`);

const value = z
  .union([z.string(), z.instanceof(Uint8Array)])
  .refine(
    (v) => valueSize(v) <= MAX_VALUE_BYTES,
    `value is over ${MAX_VALUE_BYTES} bytes`,
  );

const ttlMs = z.number().int().min(1).max(MAX_TTL_MS).optional();

const headers = z
  .record(
    z.string().refine(bytesAtMost(MAX_HEADER_KEY_BYTES), 'header name'),
    z.string().refine(bytesAtMost(MAX_HEADER_VALUE_BYTES), 'header value'),
  )
  .refine((h) => Object.keys(h).length <= MAX_HEADERS, 'too many headers')
  .optional();

const message = {
  topic: z.string(),
  payload: z.unknown(),
  headers,
  causation: z.custom<EventId>(isEventId, 'not an event id').optional(),
  depth: z.number().int().min(0).optional(),
};

const batchOp = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), key, value, ttlMs }),
  z.object({ op: z.literal('delete'), key }),
]);

const command = z.discriminatedUnion('t', [
  z.object({ t: z.literal('kv.put'), key, value, ttlMs }),
  z.object({ t: z.literal('kv.delete'), key }),
  z.object({
    t: z.literal('kv.cas'),
    key,
    expected: value.nullable(),
    value,
    ttlMs,
  }),
  z.object({
    t: z.literal('kv.batch'),
    ops: z.array(batchOp).min(1).max(MAX_BATCH),
  }),
  z.object({ t: z.literal('publish'), ...message }),
  z.object({
    t: z.literal('publishBatch'),
    messages: z.array(z.object(message)).min(1).max(MAX_BATCH),
  }),
  z.object({
    t: z.literal('expire'),
    ids: z.array(z.string()),
    now: z.number().int().min(0),
  }),
  z.object({
    t: z.literal('observed'),
    kind: z.string(),
    payload: z.unknown(),
  }),
  z.object({
    t: z.literal('hooks.config'),
    version: z.number().int().min(1),
    text: z.string(),
  }),
  z.object({ t: z.literal('jobs'), cmd: z.unknown() }),
  z.object({ t: z.literal('groups'), cmd: z.unknown() }),
]);

/** The schema of a version-1 envelope, checked on every apply. */
export const envelopeSchema = z
  .object({
    v: z.literal(1),
    time: z.number().int().min(0),
    random: z.number().int().min(0).max(0xffff_ffff),
    client: z.string().min(1).max(256).optional(),
    seq: z.number().int().min(0).optional(),
    cmd: command,
  })
  .refine((e) => (e.client === undefined) === (e.seq === undefined), {
    message: 'client and seq come together or not at all',
  });
