/**
 * Events, KV and the terminal in the contract: publishing, timeline pages,
 * the live event feed, key-value commands and shell output. Plain data
 * only; ids are the `index.offset` text form.
 *
 * @packageDocumentation
 */

/** A value JSON can carry. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One event of the global log, as the timeline shows it. */
export interface TimelineEvent {
  /** `index.offset`: Raft index of its entry and position inside it. */
  id: string;
  topic: string;
  /** Cluster time (Unix ms) of its entry. */
  time: number;
  /** The payload; bytes become arrays of numbers, big integers strings. */
  payload: JsonValue;
  headers?: Record<string, string>;
  /** The event that caused this one, as `index.offset`. */
  causation?: string;
  /** Causation hops that lead here. */
  depth: number;
  /**
   * Set when the payload was left out (null) for its size: its JSON byte
   * length. A page of one event (`limit: 1`) always carries it whole.
   */
  payloadBytes?: number;
}

/**
 * Publishes one event. Give the payload as a value, or as JSON text (the
 * editor's form; text that is not JSON is refused with where and why).
 */
export interface PublishRequest {
  topic: string;
  payload?: JsonValue;
  payloadJson?: string;
  headers?: Record<string, string>;
}

/** The id the published event got. */
export interface PublishResponse {
  id: string;
}

/** One page of the timeline. */
export interface RangeRequest {
  /** First id to consider. @defaultValue the earliest retained */
  from?: string;
  /** Most events returned, 1–1000. @defaultValue 200 */
  limit?: number;
  /** Only topics this pattern matches (the hooks' syntax). */
  pattern?: string;
  /** Only events whose topic or payload JSON contains this text. */
  text?: string;
}

/** A timeline page and where the next one starts. */
export interface RangeResponse {
  events: TimelineEvent[];
  /** Pass as `from` for the next page; null when the log is exhausted. */
  next: string | null;
  /** The earliest retained id (replay below it was compacted). */
  earliest: string;
}

/**
 * One frame of the live feed. At most a bounded number of events per
 * frame: when more arrived, the newest are sent and the rest counted.
 */
export interface EventsBatch {
  /** New events in log order. */
  events: TimelineEvent[];
  /**
   * Events this frame left out (fetch them with `events:range`). When
   * retention trimmed events before they could be sent, their number is
   * unknown and they count as one.
   */
  skipped: number;
  /** The first id left out, when any was. */
  skippedFrom: string | null;
  /** The id the next frame starts from. */
  next: string;
}

/** Writes a key. */
export interface KvPutRequest {
  key: string;
  value: string;
  /** Expires after this much cluster time (ms). */
  ttlMs?: number;
}

/** What a put did. */
export interface KvPutResponse {
  isCreate: boolean;
}

/** Names one key. */
export interface KvKeyRequest {
  key: string;
}

/** What a delete did. */
export interface KvDeleteResponse {
  existed: boolean;
}

/** A key read linearizably at the leader. */
export interface KvGetResponse {
  key: string;
  found: boolean;
  /** The value: text as is, bytes in base64 (see `encoding`). */
  value?: string;
  encoding?: 'utf8' | 'base64';
  /** Writes since creation. */
  version?: number;
  createIndex?: number;
  modIndex?: number;
  /** Cluster ms after which it expires, or null without a TTL. */
  expiresAt?: number | null;
}

/** Lists keys by prefix. */
export interface KvListRequest {
  prefix?: string;
  /** @defaultValue 1000 */
  limit?: number;
}

/** Keys in ascending order. */
export interface KvListResponse {
  keys: string[];
}

/** A piece of a shell handler's output, or a line about its attempt. */
export interface TerminalChunk {
  node: number;
  hook: string;
  /** The event being handled (`index.offset`). */
  eventId: string;
  attempt: number;
  /** `meta` carries the attempt header and its exit line. */
  stream: 'stdout' | 'stderr' | 'meta';
  text: string;
}

/** One frame of terminal output, bounded like the event feed. */
export interface TerminalOutput {
  chunks: TerminalChunk[];
  /** Chunks this frame left out because the UI fell behind. */
  skipped: number;
}

/** A message for the user that no request asked for. */
export interface Notice {
  level: 'info' | 'warn' | 'error';
  message: string;
}
