import { formatEventId, isEventId, parseEventId } from '../event-id';

import type { Receipt } from './types';

/**
 * The text form of a {@link Receipt}, for the UI, the CLI and handlers:
 * `cursor:consumer:fencing_token:attempt:delivery`, close to production's
 * receipt handle (`cursor:consumer:token:attempt:delivered_at:sig`) but
 * unsigned: the state machine checks every field against the delivery.
 *
 * @packageDocumentation
 */

/** The text form of a receipt. */
export function formatReceipt(receipt: Receipt): string {
  const { cursor, consumer, fencingToken, attempt, delivery } = receipt;
  const cursorText = formatEventId(cursor);
  return `${cursorText}:${consumer}:${fencingToken}:${attempt}:${delivery}`;
}

/** The receipt a text form names, or undefined when malformed. */
export function parseReceipt(text: string): Receipt | undefined {
  const parts = text.split(':');
  if (parts.length !== 5) {
    return undefined;
  }
  const [cursorText, consumer, ...numbers] = parts as [string, string];
  const cursor = parseEventId(cursorText);
  const [fencingToken, attempt, delivery] = numbers.map((n) =>
    /^\d{1,16}$/.test(n) ? Number(n) : NaN,
  );
  const receipt = { cursor, consumer, fencingToken, attempt, delivery };
  return isReceipt(receipt) ? receipt : undefined;
}

/** Whether a value has the shape of a {@link Receipt}. */
export function isReceipt(value: unknown): value is Receipt {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const receipt = value as Record<string, unknown>;
  return (
    isEventId(receipt.cursor) &&
    typeof receipt.consumer === 'string' &&
    receipt.consumer !== '' &&
    [receipt.fencingToken, receipt.attempt, receipt.delivery].every(
      (n) => Number.isSafeInteger(n) && (n as number) >= 0,
    )
  );
}
