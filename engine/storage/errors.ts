import { AspenError } from '../util/errors';

/**
 * The data directory was written in a format this build does not know
 * (code `UNSUPPORTED_FORMAT`), usually by a newer studio. The message is
 * exactly:
 *
 * `storage in <dir> has format version <found>; this build supports
 * version <supported>. Export the config, then reset the data (delete
 * <dir>).`
 *
 * (one line). Nothing is changed on disk, so a newer build still opens it.
 */
export class UnsupportedFormatError extends AspenError {
  /** The version found on disk, as read. */
  readonly found: unknown;
  /** The version this build reads and writes. */
  readonly supported: number;

  constructor(
    dir: string,
    found: unknown,
    supported: number,
    options?: ErrorOptions,
  ) {
    super(
      'UNSUPPORTED_FORMAT',
      `storage in ${dir} has format version ${String(found)}; ` +
        `this build supports version ${supported}. ` +
        `Export the config, then reset the data (delete ${dir}).`,
      options,
    );
    this.name = 'UnsupportedFormatError';
    this.found = found;
    this.supported = supported;
  }
}

/**
 * Another process (or another open store in this one) holds the data
 * directory (code `STORAGE_LOCKED`).
 */
export class StorageLockedError extends AspenError {
  constructor(dir: string, options?: ErrorOptions) {
    super(
      'STORAGE_LOCKED',
      `storage in ${dir} is already open in another process or window; ` +
        'close it there first',
      options,
    );
    this.name = 'StorageLockedError';
  }
}

/** The store was used after `close()` (code `STORAGE_CLOSED`). */
export class StorageClosedError extends AspenError {
  constructor() {
    super('STORAGE_CLOSED', 'storage is closed');
    this.name = 'StorageClosedError';
  }
}

/**
 * A write failed, or an earlier one did (code `STORAGE_FAILED`). After a
 * failure the store refuses every later save: letting a later batch land
 * after an earlier one was lost is the write reordering of
 * reference/raft.md §2 bug 5.
 */
export class StorageFailedError extends AspenError {
  constructor(message: string, options?: ErrorOptions) {
    super('STORAGE_FAILED', message, options);
    this.name = 'StorageFailedError';
  }
}

/**
 * What is on disk cannot be what this build wrote: a missing snapshot
 * chunk, a hole in the log (code `STORAGE_CORRUPT`).
 */
export class StorageCorruptError extends AspenError {
  constructor(message: string, options?: ErrorOptions) {
    super('STORAGE_CORRUPT', message, options);
    this.name = 'StorageCorruptError';
  }
}
