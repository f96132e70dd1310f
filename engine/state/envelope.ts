import { Packr } from 'msgpackr';

import { envelopeSchema, type Envelope } from './commands';
import type { ErrorData } from './results';
import type { Entry } from '../raft/types';

/**
 * The bytes of a `normal` entry: one msgpack-encoded {@link Envelope}.
 * Encoded once by the proposer, carried opaque by Raft, decoded and checked
 * here on every replica.
 *
 * @packageDocumentation
 */

/** The envelope version this build writes and reads. */
export const ENVELOPE_VERSION = 1;

// plain maps and arrays only: msgpackr's record extension would make the
// bytes depend on what the process packed before. Bytes are copied out, so
// a stored value does not keep the whole entry's buffer alive.
const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  copyBuffers: true,
});

/** What a `normal` entry holds: a checked envelope, or why it has none. */
export type DecodedEntry =
  { ok: true; envelope: Envelope } | { ok: false; error: ErrorData };

/** The entry data for `envelope`. */
export function encodeCommand(envelope: Envelope): Uint8Array {
  return packr.encode(envelope);
}

/**
 * Decodes and checks a `normal` entry's data. Never throws: a bad entry
 * must not stop every replica, so the reason comes back as data.
 */
export function decodeEntry(entry: Entry): DecodedEntry {
  let raw: unknown;
  try {
    raw = packr.decode(entry.data);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return refuse('BAD_ENTRY', `entry ${entry.index} is not msgpack: ${why}`);
  }

  const version = (raw as { v?: unknown } | null)?.v;
  if (typeof raw !== 'object' || raw === null || version === undefined) {
    return refuse('BAD_ENTRY', `entry ${entry.index} holds no envelope`);
  }
  if (version !== ENVELOPE_VERSION) {
    return refuse(
      'UNSUPPORTED_VERSION',
      `entry ${entry.index} has envelope version ${String(version)}; this ` +
        `studio reads version ${ENVELOPE_VERSION}: update the studio`,
    );
  }

  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    const what = `${where === '' ? '' : `${where}: `}${issue?.message ?? ''}`;
    return refuse('INVALID_COMMAND', `entry ${entry.index}: ${what}`);
  }
  return { ok: true, envelope: parsed.data as Envelope };
}

function refuse(code: string, message: string): DecodedEntry {
  return { ok: false, error: { code, message } };
}
