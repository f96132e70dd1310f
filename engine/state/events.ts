import { Packr } from 'msgpackr';

import { utf8Length } from './commands';
import { compareEventIds, formatEventId, nextEventId } from './event-id';
import type { EventId, StateEvent } from './module';
import { AspenError } from '../util/errors';

/**
 * The global event log: every publish, KV change and cluster change, in
 * log order, ids `index.offset`. It is part of the replicated state (and
 * of the snapshot), so every replica retains exactly the same events.
 *
 * Retention keeps the newest events within a count, a byte and an age
 * bound, trimming from the oldest after each entry; the age is measured in
 * cluster time (events from before the first stamped entry have no age and
 * are trimmed by count and bytes only). Bytes are the msgpack size of the payload plus the topic
 * and headers, a deterministic estimate rather than heap usage.
 *
 * Pins: work that still refers to an event (a job, a group delivery) pins
 * it, a refcount. A pinned event that falls out of the window is set aside
 * instead of dropped and stays readable by id ({@link EventLog.get}) until
 * its last unpin; it no longer counts toward the bounds and is not part of
 * replay ({@link EventLog.eventsFrom} serves only the contiguous window).
 *
 * @packageDocumentation
 */

/** Retention bounds of the event log; the same on every replica. */
export interface RetentionLimits {
  /** Most events retained. @defaultValue 100000 */
  maxEvents: number;
  /** Most payload bytes retained. @defaultValue 64 MiB */
  maxBytes: number;
  /** Oldest event age in cluster ms. @defaultValue 7 days */
  maxAgeMs: number;
}

/** The bounds used when none are given. */
export const DEFAULT_RETENTION: RetentionLimits = {
  maxEvents: 100_000,
  maxBytes: 64 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600 * 1000,
};

/** Replay asked for events that retention already trimmed. */
export class CompactedError extends AspenError {
  /** The earliest id still retained; replay from here. */
  readonly earliest: EventId;

  constructor(earliest: EventId) {
    const id = formatEventId(earliest);
    super(
      'COMPACTED',
      `events before ${id} were compacted; earliest retained is ${id}`,
    );
    this.name = 'CompactedError';
    this.earliest = earliest;
  }
}

/** One event as a snapshot stores it. */
export type EventImage = [
  index: number,
  offset: number,
  topic: string,
  time: number,
  payload: unknown,
  depth: number,
  causation: [number, number] | null,
  headers: Record<string, string> | null,
  bytes: number,
];

/** The log's part of a snapshot. */
export interface EventLogImage {
  floor: [number, number];
  events: EventImage[];
  aside: EventImage[];
  pins: [number, number, number][];
}

interface Slot {
  event: StateEvent;
  bytes: number;
}

const packr = new Packr({ useRecords: false, moreTypes: false });

function sizeOf(event: StateEvent): number {
  let bytes = utf8Length(event.topic) + packr.encode(event.payload).length;
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    bytes += utf8Length(name) + utf8Length(value);
  }
  return bytes;
}

/** The retained events, their bounds and their pins. */
export class EventLog {
  private slots: Slot[] = [];
  private head = 0;
  private bytes = 0;
  // the smallest id not trimmed: replay below it is COMPACTED
  private floor: EventId = { index: 0, offset: 0 };
  private readonly pins = new Map<string, number>();
  private readonly aside = new Map<string, Slot>();

  constructor(readonly limits: RetentionLimits = DEFAULT_RETENTION) {}

  /** How many events the contiguous window holds. */
  get count(): number {
    return this.slots.length - this.head;
  }

  /** Estimated bytes of the contiguous window. */
  get retainedBytes(): number {
    return this.bytes;
  }

  /** The first retained id, or the next id to come when none is. */
  earliest(): EventId {
    return this.slots[this.head]?.event.id ?? this.floor;
  }

  /** The newest event, if any is retained. */
  latest(): StateEvent | undefined {
    return this.slots[this.slots.length - 1]?.event;
  }

  /** Appends an event; ids must ascend. */
  append(event: StateEvent): void {
    const slot = { event, bytes: sizeOf(event) };
    this.slots.push(slot);
    this.bytes += slot.bytes;
  }

  /** Drops the last `count` events (a command that failed midway). */
  dropLast(count: number): void {
    for (let i = 0; i < count && this.count > 0; i++) {
      this.bytes -= this.slots.pop()!.bytes;
    }
  }

  /** A retained or pinned event by id. */
  get(id: EventId): StateEvent | undefined {
    const at = this.position(id);
    const slot = this.slots[at];
    if (slot !== undefined && compareEventIds(slot.event.id, id) === 0) {
      return slot.event;
    }
    return this.aside.get(formatEventId(id))?.event;
  }

  /**
   * Retained events with id at or after `from`, in log order, at most
   * `limit`.
   *
   * @throws {@link CompactedError} when `from` is below the retained range.
   */
  eventsFrom(from: EventId, limit = Infinity): StateEvent[] {
    if (compareEventIds(from, this.floor) < 0) {
      throw new CompactedError(this.earliest());
    }
    const start = this.position(from);
    const end = Math.min(this.slots.length, start + limit);
    const events: StateEvent[] = [];
    for (let i = start; i < end; i++) {
      events.push(this.slots[i]!.event);
    }
    return events;
  }

  /** Adds one pin; false when the event is not retained. */
  pin(id: EventId): boolean {
    if (this.get(id) === undefined) {
      return false;
    }
    const key = formatEventId(id);
    this.pins.set(key, (this.pins.get(key) ?? 0) + 1);
    return true;
  }

  /** Removes one pin; an event set aside goes with its last pin. */
  unpin(id: EventId): void {
    const key = formatEventId(id);
    const count = this.pins.get(key);
    if (count === undefined) {
      return;
    }
    if (count > 1) {
      this.pins.set(key, count - 1);
      return;
    }
    this.pins.delete(key);
    this.aside.delete(key);
  }

  /** How many pins an event holds. */
  pinCount(id: EventId): number {
    return this.pins.get(formatEventId(id)) ?? 0;
  }

  /** Trims the oldest events past the bounds, as of cluster time `now`. */
  trim(now: number): void {
    const { maxEvents, maxBytes, maxAgeMs } = this.limits;
    const oldest = now - maxAgeMs;
    while (this.count > 0) {
      const slot = this.slots[this.head]!;
      // time 0: applied before any entry carried a cluster time (a new
      // cluster's first election); its age is unknown, so only the count
      // and byte bounds trim it
      const isTooOld = slot.event.time > 0 && slot.event.time < oldest;
      const isOver =
        this.count > maxEvents || this.bytes > maxBytes || isTooOld;
      if (!isOver) {
        break;
      }
      this.head += 1;
      this.bytes -= slot.bytes;
      this.floor = nextEventId(slot.event.id);
      const key = formatEventId(slot.event.id);
      if (this.pins.has(key)) {
        this.aside.set(key, slot);
      }
    }

    // reclaim the trimmed prefix now and then, not on every trim
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  snapshot(): EventLogImage {
    const events = this.slots.slice(this.head).map(toImage);
    const aside = [...this.aside.values()]
      .sort((a, b) => compareEventIds(a.event.id, b.event.id))
      .map(toImage);
    const pins: [number, number, number][] = [];
    for (const [key, count] of this.pins) {
      const [index, offset] = key.split('.').map(Number) as [number, number];
      pins.push([index, offset, count]);
    }
    pins.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return {
      floor: [this.floor.index, this.floor.offset],
      events,
      aside,
      pins,
    };
  }

  restore(image: EventLogImage): void {
    this.slots = image.events.map(fromImage);
    this.head = 0;
    this.bytes = this.slots.reduce((sum, slot) => sum + slot.bytes, 0);
    this.floor = { index: image.floor[0], offset: image.floor[1] };
    this.aside.clear();
    for (const item of image.aside) {
      const slot = fromImage(item);
      this.aside.set(formatEventId(slot.event.id), slot);
    }
    this.pins.clear();
    for (const [index, offset, count] of image.pins) {
      this.pins.set(formatEventId({ index, offset }), count);
    }
  }

  // first window position whose id is not below `id`
  private position(id: EventId): number {
    let low = this.head;
    let high = this.slots.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareEventIds(this.slots[mid]!.event.id, id) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}

function toImage({ event, bytes }: Slot): EventImage {
  const { id, topic, time, payload, depth, causation, headers } = event;
  const cause: [number, number] | null =
    causation === undefined ? null : [causation.index, causation.offset];
  return [
    id.index,
    id.offset,
    topic,
    time,
    payload,
    depth,
    cause,
    headers ?? null,
    bytes,
  ];
}

function fromImage(image: EventImage): Slot {
  const [index, offset, topic, time, payload, depth, cause, headers, bytes] =
    image;
  const event: StateEvent = {
    id: { index, offset },
    topic,
    time,
    payload,
    depth,
  };
  if (cause !== null) {
    event.causation = { index: cause[0], offset: cause[1] };
  }
  if (headers !== null) {
    event.headers = headers;
  }
  return { event, bytes };
}
