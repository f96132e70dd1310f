import type { StateEvent } from './module';

/**
 * Production's `HookEvent` (reference §2.1) built from an event of our log:
 * the serde event type, `log_index` = the Raft index, an HLC-style
 * timestamp from cluster time, the dispatching node and the payload. Its
 * compact JSON is what a shell handler gets in `ASPEN_HOOK_EVENT`.
 *
 * @packageDocumentation
 */

/** Production's `SerializableTimestamp`: NTP64 time and a 16-byte HLC id. */
export interface HookTimestamp {
  /** Upper 32 bits Unix seconds, lower 32 a binary fraction (a u64). */
  time: bigint;
  /** 16 integers in [0, 256). */
  id: number[];
}

/** Production's `HookEvent`, field for field. */
export interface HookEvent {
  /** The serde name (`write_committed`), or the topic of a user event. */
  event_type: string;
  log_index: number;
  timestamp: HookTimestamp;
  node_id: number;
  payload: unknown;
}

const HOOKS_PREFIX = 'hooks.';

// every production topic suffix whose serde name is not simply its leaf;
// the rest (kv.*, cluster.*, system.*, blob.*, forge ref/patch/repo, ci.*)
// use the leaf (reference §2.2)
const RENAMED: Record<string, string> = {
  'forge.push_completed': 'forge_push_completed',
  'docs.sync_started': 'docs_sync_started',
  'docs.sync_completed': 'docs_sync_completed',
  'docs.entry_imported': 'docs_entry_imported',
  'docs.entry_exported': 'docs_entry_exported',
};

const CATEGORIES = new Set([
  'kv',
  'cluster',
  'system',
  'blob',
  'forge',
  'ci',
  'docs',
]);

/** Whether `topic` has production's hook topic shape, `hooks.<category>.<leaf>`. */
export function isHookTopic(topic: string): boolean {
  const tokens = topic.split('.');
  return (
    tokens.length === 3 && tokens[0] === 'hooks' && CATEGORIES.has(tokens[1]!)
  );
}

/**
 * The serde `event_type` of a topic: the production name for a hook
 * topic, the topic itself for anything else (DESIGN §3.4).
 */
export function eventTypeOf(topic: string): string {
  if (!isHookTopic(topic)) {
    return topic;
  }
  const suffix = topic.slice(HOOKS_PREFIX.length);
  return RENAMED[suffix] ?? suffix.slice(suffix.indexOf('.') + 1);
}

/**
 * The display form (`ASPEN_HOOK_EVENT_TYPE`): the topic without `hooks.`
 * for a hook topic (`kv.write_committed`), the topic itself otherwise.
 */
export function displayEventType(topic: string): string {
  return isHookTopic(topic) ? topic.slice(HOOKS_PREFIX.length) : topic;
}

/** NTP64 of a Unix time in ms: seconds in the upper word, fraction below. */
export function ntp64FromMs(ms: number): bigint {
  const whole = Math.floor(ms);
  const seconds = BigInt(Math.floor(whole / 1000));
  const millis = BigInt(whole % 1000);
  return (seconds << 32n) + (millis << 32n) / 1000n;
}

/** Unix ms of an NTP64 value, sub-millisecond part dropped. */
export function msFromNtp64(time: bigint): number {
  const seconds = Number(time >> 32n);
  const fraction = time & 0xffff_ffffn;
  return seconds * 1000 + Number((fraction * 1000n) >> 32n);
}

/**
 * A 16-byte HLC id for a node. Ours is the node id as a little-endian
 * u128, so the JSON says which node stamped it.
 */
export function hlcId(nodeId: number): number[] {
  const id = new Array<number>(16).fill(0);
  let rest = nodeId;
  for (let i = 0; i < 6 && rest > 0; i++) {
    id[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return id;
}

/** A timestamp from cluster ms, as production's bridges build them. */
export function hookTimestamp(ms: number, nodeId = 0): HookTimestamp {
  return { time: ntp64FromMs(ms), id: hlcId(nodeId) };
}

/** The `HookEvent` of an event, as dispatched by `nodeId`. */
export function toHookEvent(event: StateEvent, nodeId: number): HookEvent {
  return {
    event_type: eventTypeOf(event.topic),
    log_index: event.id.index,
    timestamp: hookTimestamp(event.time, nodeId),
    node_id: nodeId,
    payload: event.payload,
  };
}

/**
 * Compact JSON of a `HookEvent` (or any payload), as `serde_json` writes
 * it: u64 values (bigint) as exact integers, bytes as arrays of integers,
 * undefined object fields left out.
 */
export function toHookJson(value: unknown): string {
  const out: string[] = [];
  writeJson(value, out);
  return out.join('');
}

function writeJson(value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'bigint') {
    out.push(value.toString());
  } else if (typeof value === 'number') {
    out.push(Number.isFinite(value) ? String(value) : 'null');
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    out.push(JSON.stringify(value));
  } else if (value instanceof Uint8Array) {
    out.push(`[${value.join(',')}]`);
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      out.push(i === 0 ? '' : ',');
      writeJson(item, out);
    });
    out.push(']');
  } else if (typeof value === 'object') {
    out.push('{');
    let isFirst = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) {
        continue;
      }
      out.push(isFirst ? '' : ',', JSON.stringify(key), ':');
      isFirst = false;
      writeJson(item, out);
    }
    out.push('}');
  } else {
    out.push('null');
  }
}
