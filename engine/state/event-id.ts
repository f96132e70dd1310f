import type { EventId } from './module';

/**
 * Helpers for {@link EventId}: events are ordered by Raft index, then by
 * position inside the entry. The text form `index.offset` is the one the
 * UI, the CLI and the error messages show.
 *
 * @packageDocumentation
 */

/** Negative when `a` comes before `b`, zero when equal, positive after. */
export function compareEventIds(a: EventId, b: EventId): number {
  return a.index !== b.index ? a.index - b.index : a.offset - b.offset;
}

/** The `index.offset` text of an id. */
export function formatEventId(id: EventId): string {
  return `${id.index}.${id.offset}`;
}

/** The id an `index.offset` text names, or undefined when malformed. */
export function parseEventId(text: string): EventId | undefined {
  const match = /^(\d{1,15})\.(\d{1,9})$/.exec(text);
  if (match === null) {
    return undefined;
  }
  return { index: Number(match[1]), offset: Number(match[2]) };
}

/** The smallest id after `id`: the next position in the same entry. */
export function nextEventId(id: EventId): EventId {
  return { index: id.index, offset: id.offset + 1 };
}

/** Whether a value has the shape of an {@link EventId}. */
export function isEventId(value: unknown): value is EventId {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { index, offset } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(index) &&
    Number.isSafeInteger(offset) &&
    (index as number) >= 0 &&
    (offset as number) >= 0
  );
}
