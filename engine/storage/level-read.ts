import { ClassicLevel } from 'classic-level';

import type { Logger } from '../ports/logger';
import type { PersistedState } from '../ports/storage';
import type { Entry } from '../raft/types';
import { AspenError } from '../util/errors';

import { emptyHardState } from './batch';
import {
  StorageCorruptError,
  StorageLockedError,
  UnsupportedFormatError,
} from './errors';
import {
  decodeEntry,
  decodeFormat,
  decodeHardState,
  decodeSnapshotMeta,
  encodeFormat,
  FORMAT_VERSION,
  KeyPrefix,
  keyNumber,
  numberedKey,
  RecordVersionError,
  singleKey,
} from './level-codec';
import type { WriterState } from './level-ops';

/** The database as LevelStorage uses it: binary keys and values. */
export type LevelDb = ClassicLevel<Uint8Array, Uint8Array>;

const ENTRY_RANGE = {
  gte: numberedKey(KeyPrefix.entry, 0),
  lt: singleKey(KeyPrefix.entry + 1),
};

/**
 * Opens the LevelDB in `dir`, writes the format record into a new store,
 * refuses a format it does not know, and reads what the writer tracks.
 */
export async function openDatabase(
  dir: string,
  logger: Logger,
): Promise<{ db: LevelDb; state: WriterState }> {
  const db: LevelDb = new ClassicLevel(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
  try {
    await db.open();
  } catch (error) {
    if (hasCode(error, 'LEVEL_LOCKED')) {
      throw new StorageLockedError(dir, { cause: error });
    }
    throw new AspenError(
      'STORAGE_OPEN_FAILED',
      `could not open storage in ${dir}: ${describe(error)}`,
      { cause: error },
    );
  }

  try {
    await checkFormat(db, dir, logger);
    const state = await readWriterState(db);
    logger.info('storage opened', { dir, ...state.bounds });
    return { db, state };
  } catch (error) {
    await db.close();
    if (error instanceof RecordVersionError) {
      throw new UnsupportedFormatError(dir, error.found, FORMAT_VERSION, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Reads everything persisted. Run only between writes. */
export async function readState(db: LevelDb): Promise<PersistedState> {
  const hardValue = await db.get(singleKey(KeyPrefix.hardState));
  const state: PersistedState = {
    hardState:
      hardValue === undefined ? emptyHardState() : decodeHardState(hardValue),
    entries: [],
  };

  const metaValue = await db.get(singleKey(KeyPrefix.snapshotMeta));
  if (metaValue !== undefined) {
    const { meta, size, chunks } = decodeSnapshotMeta(metaValue);
    const keys = Array.from({ length: chunks }, (_, i) =>
      numberedKey(KeyPrefix.snapshotChunk, i),
    );
    const values = await db.getMany(keys);
    const data = new Uint8Array(size);
    let at = 0;
    for (const [i, value] of values.entries()) {
      if (value === undefined || at + value.length > size) {
        throw new StorageCorruptError(`snapshot chunk ${i} is missing`);
      }
      data.set(value, at);
      at += value.length;
    }
    if (at !== size) {
      throw new StorageCorruptError(`snapshot holds ${at} of ${size} bytes`);
    }
    state.snapshot = { meta, data };
  }

  const entries: Entry[] = state.entries;
  // entries the snapshot covers may remain until their clear ran
  const covered = state.snapshot?.meta.index ?? 0;
  for await (const [key, value] of db.iterator(ENTRY_RANGE)) {
    const index = keyNumber(key);
    if (index <= covered) {
      continue;
    }
    const previous = entries.at(-1);
    if (previous !== undefined && index !== previous.index + 1) {
      throw new StorageCorruptError(
        `log has a hole between ${previous.index} and ${index}`,
      );
    }
    entries.push(decodeEntry(index, value));
  }
  return state;
}

async function checkFormat(
  db: LevelDb,
  dir: string,
  logger: Logger,
): Promise<void> {
  const value = await db.get(singleKey(KeyPrefix.format));
  if (value === undefined) {
    const [anyKey] = await db.keys({ limit: 1 }).all();
    if (anyKey !== undefined) {
      throw new UnsupportedFormatError(dir, 'none', FORMAT_VERSION);
    }
    await db.put(singleKey(KeyPrefix.format), encodeFormat(FORMAT_VERSION), {
      sync: true,
    });
    logger.info('storage created', { dir, formatVersion: FORMAT_VERSION });
    return;
  }

  const found = decodeFormat(value);
  if (found !== FORMAT_VERSION) {
    throw new UnsupportedFormatError(dir, found, FORMAT_VERSION);
  }
}

async function readWriterState(db: LevelDb): Promise<WriterState> {
  // one seek from each end of the log range rather than a scan
  const [firstKey] = await db.keys({ ...ENTRY_RANGE, limit: 1 }).all();
  const [lastKey] = await db
    .keys({ ...ENTRY_RANGE, limit: 1, reverse: true })
    .all();
  const bounds =
    firstKey === undefined || lastKey === undefined
      ? { first: 0, last: 0 }
      : { first: keyNumber(firstKey), last: keyNumber(lastKey) };

  const metaValue = await db.get(singleKey(KeyPrefix.snapshotMeta));
  const snapshotChunks =
    metaValue === undefined ? 0 : decodeSnapshotMeta(metaValue).chunks;
  return { bounds, snapshotChunks };
}

function hasCode(error: unknown, code: string): boolean {
  for (let at = error; at instanceof Error; at = at.cause) {
    if ((at as { code?: unknown }).code === code) {
      return true;
    }
  }
  return false;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
