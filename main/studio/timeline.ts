import { matchSubject, parsePattern } from '../../engine/pubsub/subject';
import {
  formatEventId,
  nextEventId,
  parseEventId,
} from '../../engine/state/event-id';
import type { AspenStateMachine } from '../../engine/state/machine';
import type { StateEvent } from '../../engine/state/module';
import type {
  JsonValue,
  RangeRequest,
  RangeResponse,
  TimelineEvent,
} from '../../preload/contract';

/** Payload JSON a timeline page carries whole, per event. */
export const RANGE_PAYLOAD_BYTES = 256 * 1024;

/** Events a filtered page scans at most before it answers. */
export const RANGE_SCAN_LIMIT = 20_000;

/**
 * A value as plain JSON data: bytes become arrays of numbers, big
 * integers strings, Maps objects; anything else JSON lacks becomes null.
 */
export function toJsonValue(value: unknown, depth = 0): JsonValue {
  if (depth > 64) {
    return null;
  }
  if (value === null || typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : null;
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (value instanceof Uint8Array) {
    return Array.from(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => toJsonValue(item, depth + 1));
  }
  if (value instanceof Map) {
    return toJsonValue(Object.fromEntries(value), depth);
  }
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) {
        out[key] = toJsonValue(item, depth + 1);
      }
    }
    return out;
  }
  return null;
}

/**
 * An event as the contract carries it. A payload whose JSON is over
 * `maxPayloadBytes` is left out (null) and its size noted, so one large
 * event cannot swamp a frame; a page of one event carries it whole.
 */
export function toTimelineEvent(
  event: StateEvent,
  maxPayloadBytes = Infinity,
): TimelineEvent {
  let payload = toJsonValue(event.payload);
  let payloadBytes: number | undefined;
  if (maxPayloadBytes !== Infinity) {
    const bytes = Buffer.byteLength(JSON.stringify(payload) ?? 'null');
    if (bytes > maxPayloadBytes) {
      payload = null;
      payloadBytes = bytes;
    }
  }
  return {
    id: formatEventId(event.id),
    topic: event.topic,
    time: event.time,
    payload,
    ...(event.headers ? { headers: { ...event.headers } } : {}),
    ...(event.causation ? { causation: formatEventId(event.causation) } : {}),
    depth: event.depth,
    ...(payloadBytes === undefined ? {} : { payloadBytes }),
  };
}

/**
 * One timeline page from `machine`: events at or after `from` whose topic
 * the pattern matches and whose topic or payload contains the text. A
 * filtered page scans a bounded number of events and says where to go on.
 *
 * @throws `INVALID_PATTERN` for a bad pattern, `COMPACTED` below the
 *   retained range.
 */
export function readRange(
  machine: AspenStateMachine,
  request: RangeRequest,
): RangeResponse {
  if (request.pattern !== undefined) {
    parsePattern(request.pattern);
  }
  const limit = request.limit ?? 200;
  const earliest = machine.earliestEventId();
  const from =
    request.from === undefined ? earliest : parseEventId(request.from)!;
  const maxPayload = limit === 1 ? Infinity : RANGE_PAYLOAD_BYTES;
  const isFiltered =
    request.pattern !== undefined || request.text !== undefined;
  const scan = isFiltered ? RANGE_SCAN_LIMIT : limit;

  const page = machine.eventsFrom(from, scan);
  const events: TimelineEvent[] = [];
  let cursor = from;
  let isFull = false;
  for (const event of page) {
    if (events.length === limit) {
      isFull = true;
      break;
    }
    cursor = nextEventId(event.id);
    if (isMatch(event, request)) {
      events.push(toTimelineEvent(event, maxPayload));
    }
  }
  const isEnd = !isFull && page.length < scan;
  return {
    events,
    next: isEnd ? null : formatEventId(cursor),
    earliest: formatEventId(earliest),
  };
}

function isMatch(event: StateEvent, request: RangeRequest): boolean {
  if (
    request.pattern !== undefined &&
    !matchSubject(request.pattern, event.topic)
  ) {
    return false;
  }
  if (request.text === undefined || event.topic.includes(request.text)) {
    return true;
  }
  const json = JSON.stringify(toJsonValue(event.payload)) ?? '';
  return json.includes(request.text);
}
