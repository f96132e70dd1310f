import { Packr } from 'msgpackr';

import type { ClusterImage } from './cluster';
import type { EventLogImage } from './events';
import type { KvImage } from './kv';
import type { SessionImage } from './sessions';
import { AspenError } from '../util/errors';

/**
 * The snapshot format of the whole replicated state: one msgpack map with a
 * format version, every collection an array sorted by explicit keys, so two
 * replicas with the same state write the same bytes.
 *
 * @packageDocumentation
 */

/** The format this build writes, and the newest it reads. */
export const SNAPSHOT_FORMAT = 1;

/** A refused command kept for the studio: `[index, code, message]`. */
export type RejectionImage = [number, string, string];

/** Everything a snapshot holds. */
export interface MachineImage {
  format: number;
  /** Last applied `[index, term]`. */
  applied: [number, number];
  /** Cluster time, ms. */
  time: number;
  cluster: ClusterImage;
  kv: KvImage[];
  sessions: SessionImage[];
  events: EventLogImage;
  /** `[version, text, index]` of the stored hooks config. */
  hooksConfig: [number, string, number] | null;
  rejected: RejectionImage[];
  /** `[name, data]` per registered module, by name. */
  modules: [string, unknown][];
}

/** A snapshot this build cannot read. */
export class UnsupportedFormatError extends AspenError {
  constructor(message: string) {
    super('UNSUPPORTED_FORMAT', message);
    this.name = 'UnsupportedFormatError';
  }
}

// values are copied out of the snapshot, so keeping one key does not keep
// the whole snapshot buffer alive
const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  copyBuffers: true,
});

const WAY_OUT =
  'export the workspace and reset its cluster data, or open it with the ' +
  'studio version that wrote it';

/** The snapshot bytes of an image. */
export function encodeImage(image: MachineImage): Uint8Array {
  return packr.encode(image);
}

/**
 * The image in snapshot bytes.
 *
 * @throws {@link UnsupportedFormatError} for bytes that are not a state
 *   snapshot or that carry another format version.
 */
export function decodeImage(data: Uint8Array): MachineImage {
  let raw: unknown;
  try {
    raw = packr.decode(data);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new UnsupportedFormatError(
      `the snapshot is not a state snapshot (${why}); ${WAY_OUT}`,
    );
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof format !== 'number') {
    throw new UnsupportedFormatError(
      `the snapshot has no format version; ${WAY_OUT}`,
    );
  }
  if (format !== SNAPSHOT_FORMAT) {
    const age = format > SNAPSHOT_FORMAT ? 'newer than' : 'other than';
    throw new UnsupportedFormatError(
      `snapshot format ${format} is ${age} the ${SNAPSHOT_FORMAT} this ` +
        `studio reads; ${WAY_OUT}`,
    );
  }
  return raw as MachineImage;
}
