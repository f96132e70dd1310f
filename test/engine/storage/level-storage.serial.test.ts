// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ClassicLevel } from 'classic-level';
import { Packr } from 'msgpackr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CapturingLogger } from '../../../engine/ports/logger';
import {
  decodeFormat,
  encodeEntry,
  encodeFormat,
  FORMAT_VERSION,
  KeyPrefix,
  numberedKey,
  singleKey,
} from '../../../engine/storage/level-codec';
import { LevelStorage } from '../../../engine/storage/level-storage';

import { makeEntries } from './storage-model';
import { makeSnapshot, runStorageSuite } from './storage-suite';

runStorageSuite('LevelStorage', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aspen-storage-'));
  return {
    open: () => LevelStorage.open(join(dir, 'node-1')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

type RawDb = ClassicLevel<Uint8Array, Uint8Array>;

describe('LevelStorage', () => {
  let root: string;
  let dir: string;
  const toClose: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-storage-'));
    dir = join(root, 'node-1');
  });

  afterEach(async () => {
    await Promise.all(toClose.splice(0).map((store) => store.close()));
    await rm(root, { recursive: true, force: true });
  });

  async function open(
    options?: Parameters<typeof LevelStorage.open>[1],
  ): Promise<LevelStorage> {
    const storage = await LevelStorage.open(dir, options);
    toClose.push(storage);
    return storage;
  }

  /** The directory opened raw, to look at or tamper with the records. */
  async function openRaw(): Promise<RawDb> {
    const db: RawDb = new ClassicLevel(dir, {
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await db.open();
    toClose.push(db);
    return db;
  }

  async function countKeys(db: RawDb, prefix: number): Promise<number> {
    const keys = await db
      .keys({ gte: singleKey(prefix), lt: singleKey(prefix + 1) })
      .all();
    return keys.length;
  }

  describe('open()', () => {
    it('writes the format version when it creates the store', async () => {
      const logger = new CapturingLogger();
      await (await open({ logger })).close();

      const db = await openRaw();
      const value = await db.get(singleKey(KeyPrefix.format));

      expect(decodeFormat(value!)).toBe(FORMAT_VERSION);
      expect(logger.lines.map((line) => line.message)).toContain(
        'storage created',
      );
    });

    it('refuses a store written in a newer format and leaves it as is', async () => {
      await (await open()).close();
      const db = await openRaw();
      await db.put(singleKey(KeyPrefix.format), encodeFormat(2));
      await db.close();

      const opening = LevelStorage.open(dir);

      await expect(opening).rejects.toMatchObject({
        code: 'UNSUPPORTED_FORMAT',
        message:
          `storage in ${dir} has format version 2; ` +
          'this build supports version 1. ' +
          `Export the config, then reset the data (delete ${dir}).`,
      });
      const after = await openRaw();
      const value = await after.get(singleKey(KeyPrefix.format));
      expect(decodeFormat(value!)).toBe(2);
    });

    it('refuses a record in an unknown format when loading', async () => {
      const storage = await open();
      await storage.save({ hardState: { term: 3, vote: 1, commit: 0 } });
      await storage.close();
      const db = await openRaw();
      const future = new Packr({ useRecords: false }).pack([7, 3, 1, 0, 'x']);
      await db.put(singleKey(KeyPrefix.hardState), future);
      await db.close();

      const reopened = await open();

      await expect(reopened.load()).rejects.toMatchObject({
        code: 'UNSUPPORTED_FORMAT',
        message: expect.stringContaining('format version 7'),
      });
    });

    it('fails with STORAGE_LOCKED naming the directory when it is open', async () => {
      const first = await open();
      await first.save({ entries: makeEntries(1, 1, 1) });

      const second = LevelStorage.open(dir);

      await expect(second).rejects.toMatchObject({
        name: 'StorageLockedError',
        code: 'STORAGE_LOCKED',
        message: expect.stringContaining(dir),
      });
      await first.close();
      const third = await open();
      expect((await third.load()).entries).toEqual(makeEntries(1, 1, 1));
    });
  });

  describe('save()', () => {
    it('removes the old chunks when a snapshot is replaced', async () => {
      const storage = await open({ chunkBytes: 1024 });
      await storage.save({ snapshot: makeSnapshot(5, 1, 5 * 1024 + 1) });
      const smaller = makeSnapshot(9, 1, 1500);

      await storage.save({ snapshot: smaller });
      await storage.close();

      const db = await openRaw();
      expect(await countKeys(db, KeyPrefix.snapshotChunk)).toBe(2);
      await db.close();
      expect((await (await open()).load()).snapshot).toEqual(smaller);
    });

    it('deletes truncated and compacted entries from the disk', async () => {
      const storage = await open();
      await storage.save({ entries: makeEntries(1, 10, 1) });
      await storage.save({ entries: makeEntries(6, 1, 2), compactTo: 3 });
      await storage.close();

      const db = await openRaw();

      expect(await countKeys(db, KeyPrefix.entry)).toBe(3);
    });

    it('skips entries a snapshot covers when their clear never ran', async () => {
      const storage = await open();
      await storage.save({ entries: makeEntries(1, 10, 1) });
      await storage.save({ snapshot: makeSnapshot(6, 1, 32), compactTo: 6 });
      await storage.close();

      // as if the process died before the compacted entries were cleared
      const db = await openRaw();
      for (const entry of makeEntries(1, 6, 1)) {
        await db.put(
          numberedKey(KeyPrefix.entry, entry.index),
          encodeEntry(entry),
        );
      }
      await db.close();

      const reopened = await open();
      const state = await reopened.load();
      expect(state.snapshot?.meta.index).toBe(6);
      expect(state.entries.map((e) => e.index)).toEqual([7, 8, 9, 10]);
    });
  });
});
