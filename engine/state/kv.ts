import { valueSize, type KvBatchOp, type KvValue } from './commands';
import { hookTimestamp } from './hook-event';
import { errorResult, type CommandResult, type OkResult } from './results';

/**
 * The replicated key-value store: put, delete, compare-and-swap, multi-key
 * batches and TTL. Every change emits production's event for it, one per
 * key (reference §2.4).
 *
 * TTL is in cluster time and ends only through an `expire` entry from the
 * leader's timer service, as etcd's lessor revokes leases: a key whose
 * deadline has passed stays readable (and can be overwritten, which drops
 * or renews its TTL) until that entry commits. Nothing here reads a clock.
 *
 * @packageDocumentation
 */

/** A key's record. */
export interface KvRecord {
  value: KvValue;
  /** Raft index of the write that created the key. */
  createIndex: number;
  /** Raft index of its latest write. */
  modIndex: number;
  /** Writes since creation, starting at 1. */
  version: number;
  /** Cluster ms after which the leader may expire it. */
  expiresAt?: number;
  /** Cluster ms when that TTL was set. */
  ttlSetAt?: number;
}

/** A key as a snapshot stores it. */
export type KvImage = [
  key: string,
  value: KvValue,
  createIndex: number,
  modIndex: number,
  version: number,
  expiresAt: number | null,
  ttlSetAt: number | null,
];

/** How the store emits events (the machine's log). */
export type KvEmit = (topic: string, payload: unknown) => void;

/** Topics of the events the store emits (production's, reference §2.2). */
export const KV_TOPICS = {
  write: 'hooks.kv.write_committed',
  delete: 'hooks.kv.delete_committed',
  expired: 'hooks.kv.ttl_expired',
} as const;

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether two values are equal: same kind, same content. */
export function sameValue(a: KvValue, b: KvValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') {
    return a === b;
  }
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}

/** The store; part of the replicated state. */
export class KvStore {
  private readonly records = new Map<string, KvRecord>();
  // (due, key) ascending: the timer service's view, kept sorted on write
  private readonly ttl: [number, string][] = [];

  /** How many keys it holds. */
  get size(): number {
    return this.records.size;
  }

  /** A key's record, or undefined (a due but unexpired key is returned). */
  get(key: string): KvRecord | undefined {
    return this.records.get(key);
  }

  /** Keys starting with `prefix`, sorted, at most `limit`. */
  list(prefix = '', limit = Infinity): string[] {
    const keys: string[] = [];
    for (const key of this.records.keys()) {
      if (key.startsWith(prefix)) {
        keys.push(key);
      }
    }
    return keys.sort(compareKeys).slice(0, limit);
  }

  put(
    key: string,
    value: KvValue,
    ttlMs: number | undefined,
    at: { index: number; now: number },
    emit: KvEmit,
  ): { ok: true; isCreate: boolean } {
    const old = this.records.get(key);
    if (old?.expiresAt !== undefined) {
      this.unwatch(old.expiresAt, key);
    }
    const record: KvRecord = {
      value,
      createIndex: old?.createIndex ?? at.index,
      modIndex: at.index,
      version: (old?.version ?? 0) + 1,
    };
    if (ttlMs !== undefined) {
      record.expiresAt = at.now + ttlMs;
      record.ttlSetAt = at.now;
      this.watch(record.expiresAt, key);
    }
    this.records.set(key, record);

    // ours is truthful; production's bridge always sends is_create false
    const isCreate = old === undefined;
    const size = valueSize(value);
    emit(KV_TOPICS.write, { key, value_size_bytes: size, is_create: isCreate });
    return { ok: true, isCreate };
  }

  delete(key: string, emit: KvEmit): { ok: true; existed: boolean } {
    const old = this.records.get(key);
    if (old?.expiresAt !== undefined) {
      this.unwatch(old.expiresAt, key);
    }
    const existed = this.records.delete(key);
    emit(KV_TOPICS.delete, { key, existed });
    return { ok: true, existed };
  }

  /** Writes `value` only if the key holds `expected` (null: is absent). */
  cas(
    key: string,
    expected: KvValue | null,
    value: KvValue,
    ttlMs: number | undefined,
    at: { index: number; now: number },
    emit: KvEmit,
  ): OkResult {
    const current = this.records.get(key)?.value ?? null;
    const isMatch =
      expected === null
        ? current === null
        : current !== null && sameValue(current, expected);
    if (!isMatch) {
      return { ok: true, isSwapped: false, current };
    }
    this.put(key, value, ttlMs, at, emit);
    return { ok: true, isSwapped: true, current: value };
  }

  /** Applies every op in order, or none when a key appears twice. */
  batch(
    ops: readonly KvBatchOp[],
    at: { index: number; now: number },
    emit: KvEmit,
  ): CommandResult {
    const seen = new Set<string>();
    for (const op of ops) {
      if (seen.has(op.key)) {
        const why = `key ${JSON.stringify(op.key)} appears twice in the batch`;
        return errorResult('DUPLICATE_KEY', why);
      }
      seen.add(op.key);
    }
    const results = ops.map((op) =>
      op.op === 'put'
        ? this.put(op.key, op.value, op.ttlMs, at, emit)
        : this.delete(op.key, emit),
    );
    return { ok: true, results };
  }

  /**
   * Expires the keys whose deadline is at or before `now`. A key that was
   * deleted, rewritten without TTL or given a later deadline since the
   * timer service proposed is skipped, not expired.
   */
  expire(
    keys: readonly string[],
    now: number,
    emit: KvEmit,
  ): { expired: string[]; skipped: string[] } {
    const expired: string[] = [];
    const skipped: string[] = [];
    for (const key of keys) {
      const record = this.records.get(key);
      if (record?.expiresAt === undefined || record.expiresAt > now) {
        skipped.push(key);
        continue;
      }
      this.unwatch(record.expiresAt, key);
      this.records.delete(key);
      expired.push(key);
      const setAt = hookTimestamp(record.ttlSetAt ?? 0);
      emit(KV_TOPICS.expired, { key, ttl_set_at: setAt });
    }
    return { expired, skipped };
  }

  /** TTL deadlines, ascending by (due, key). */
  deadlines(): { due: number; key: string }[] {
    return this.ttl.map(([due, key]) => ({ due, key }));
  }

  /** Every key, sorted by key. */
  snapshot(): KvImage[] {
    const images: KvImage[] = [];
    for (const key of [...this.records.keys()].sort(compareKeys)) {
      const r = this.records.get(key)!;
      images.push([
        key,
        r.value,
        r.createIndex,
        r.modIndex,
        r.version,
        r.expiresAt ?? null,
        r.ttlSetAt ?? null,
      ]);
    }
    return images;
  }

  restore(images: readonly KvImage[]): void {
    this.records.clear();
    this.ttl.length = 0;
    for (const [
      key,
      value,
      createIndex,
      modIndex,
      version,
      exp,
      set,
    ] of images) {
      const record: KvRecord = { value, createIndex, modIndex, version };
      if (exp !== null) {
        record.expiresAt = exp;
        record.ttlSetAt = set ?? exp;
        this.ttl.push([exp, key]);
      }
      this.records.set(key, record);
    }
    this.ttl.sort((a, b) => a[0] - b[0] || compareKeys(a[1], b[1]));
  }

  private watch(due: number, key: string): void {
    this.ttl.splice(this.position(due, key), 0, [due, key]);
  }

  private unwatch(due: number, key: string): void {
    const at = this.position(due, key);
    if (this.ttl[at]?.[0] === due && this.ttl[at]?.[1] === key) {
      this.ttl.splice(at, 1);
    }
  }

  // first position whose (due, key) is not below the given one
  private position(due: number, key: string): number {
    let low = 0;
    let high = this.ttl.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const [d, k] = this.ttl[mid]!;
      if (d < due || (d === due && k < key)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
