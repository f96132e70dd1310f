import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SeededRng } from '../../../engine/ports/rng';
import type { Storage, StorageBatch } from '../../../engine/ports/storage';
import type { Snapshot } from '../../../engine/raft/types';
import { BugError } from '../../../engine/util/errors';

import { makeEntries, StorageModel } from './storage-model';

/** Gives a storage to the suite and can give the same data again. */
export interface StorageHarness {
  /** Opens the store; after the previous one closed, reopens its data. */
  open(): Promise<Storage>;
  /** Removes whatever the harness created (temp directories). */
  cleanup(): Promise<void>;
}

/** Bigger than LevelStorage's 1 MiB chunks, and not a multiple of them. */
const BIG_SNAPSHOT_BYTES = 2.5 * 1024 * 1024 + 3;

/**
 * The behaviour every {@link Storage} must show, run by each
 * implementation's test file with its own harness (in the manner of
 * abstract-level's shared suite).
 */
export function runStorageSuite(
  name: string,
  factory: () => StorageHarness | Promise<StorageHarness>,
): void {
  describe(`${name} (storage suite)`, () => {
    let harness: StorageHarness;
    const opened: Storage[] = [];

    async function open(): Promise<Storage> {
      const storage = await harness.open();
      opened.push(storage);
      return storage;
    }

    async function reopen(storage: Storage): Promise<Storage> {
      await storage.close();
      return open();
    }

    beforeEach(async () => {
      harness = await factory();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((storage) => storage.close()));
      await harness.cleanup();
    });

    it('loads term 0, no vote and no entries when nothing was saved', async () => {
      const storage = await open();

      const state = await storage.load();

      expect(state).toEqual({
        hardState: { term: 0, vote: 0, commit: 0 },
        entries: [],
      });
      expect(state.snapshot).toBeUndefined();
    });

    it('reloads appended entries and hard state in index order', async () => {
      const storage = await open();
      const batches: StorageBatch[] = [
        { entries: makeEntries(1, 3, 1) },
        {
          hardState: { term: 2, vote: 3, commit: 2 },
          entries: [
            { index: 4, term: 2, type: 'leader', data: Uint8Array.of(0, 3) },
            { index: 5, term: 2, type: 'normal', data: new Uint8Array(0) },
          ],
        },
      ];

      for (const batch of batches) {
        await storage.save(batch);
      }

      expect(await storage.load()).toEqual(StorageModel.of(batches).state());
    });

    it('replaces entries from the first conflicting index on', async () => {
      const storage = await open();
      await storage.save({ entries: makeEntries(1, 6, 1) });

      await storage.save({ entries: makeEntries(3, 2, 2) });

      const { entries } = await storage.load();
      expect(entries.map((e) => [e.index, e.term])).toEqual([
        [1, 1],
        [2, 1],
        [3, 2],
        [4, 2],
      ]);
    });

    it('changes only the hard state when a batch holds nothing else', async () => {
      const storage = await open();
      await storage.save({ entries: makeEntries(1, 2, 1) });

      await storage.save({ hardState: { term: 4, vote: 2, commit: 1 } });

      const state = await storage.load();
      expect(state.hardState).toEqual({ term: 4, vote: 2, commit: 1 });
      expect(state.entries).toEqual(makeEntries(1, 2, 1));
    });

    it('keeps the snapshot and drops entries up to compactTo', async () => {
      const storage = await open();
      await storage.save({ entries: makeEntries(1, 10, 1) });
      const snapshot = makeSnapshot(6, 1, 100);

      await storage.save({ snapshot, compactTo: 6 });
      await storage.save({ entries: makeEntries(11, 1, 2) });

      const state = await storage.load();
      expect(state.snapshot).toEqual(snapshot);
      expect(state.entries.map((e) => e.index)).toEqual([7, 8, 9, 10, 11]);

      await storage.save({ snapshot: makeSnapshot(11, 2, 10), compactTo: 11 });
      await storage.save({ entries: makeEntries(12, 2, 2) });
      const after = await storage.load();
      expect(after.snapshot?.meta.index).toBe(11);
      expect(after.entries.map((e) => e.index)).toEqual([12, 13]);
    });

    it('drops the whole log for a snapshot that replaces it', async () => {
      const storage = await open();
      await storage.save({ entries: makeEntries(1, 5, 1) });
      const snapshot = makeSnapshot(20, 3, 64);

      // a leader's snapshot past our end, then its next entries
      await storage.save({ snapshot, replaceLog: true });
      await storage.save({ entries: makeEntries(21, 2, 3) });
      const state = await storage.load();
      expect(state.snapshot).toEqual(snapshot);
      expect(state.entries.map((e) => e.index)).toEqual([21, 22]);

      // entries the core kept after the snapshot come back in the batch
      await storage.save({
        snapshot: makeSnapshot(21, 3, 64),
        entries: makeEntries(22, 1, 3),
        replaceLog: true,
      });
      const kept = await reopen(storage);
      const after = await kept.load();
      expect(after.entries.map((e) => e.index)).toEqual([22]);
    });

    it('round-trips a snapshot bigger than a chunk byte for byte', async () => {
      const storage = await open();
      const big = makeSnapshot(40, 3, BIG_SNAPSHOT_BYTES);

      await storage.save({ snapshot: big, compactTo: 40 });
      const loaded = (await storage.load()).snapshot;

      expect(loaded?.meta).toEqual(big.meta);
      expect(Buffer.compare(loaded!.data, big.data)).toBe(0);

      const small = makeSnapshot(50, 3, 10);
      await storage.save({ snapshot: small });
      const reloaded = await (await reopen(storage)).load();
      expect(reloaded.snapshot).toEqual(small);
    });

    it('applies saves in call order when they are not awaited', async () => {
      const storage = await open();
      const batches = interleavedBatches(100);

      await Promise.all(batches.map((batch) => storage.save(batch)));

      const expected = StorageModel.of(batches).state();
      expect(await storage.load()).toEqual(expected);
      expect(await (await reopen(storage)).load()).toEqual(expected);
    });

    it('finishes pending saves before close resolves', async () => {
      const storage = await open();
      const batches = interleavedBatches(20);
      const saves = batches.map((batch) => storage.save(batch));

      await storage.close();

      await expect(Promise.all(saves)).resolves.toBeDefined();
      const reopened = await open();
      expect(await reopened.load()).toEqual(StorageModel.of(batches).state());
    });

    it('keeps everything across close and reopen', async () => {
      const storage = await open();
      const batches: StorageBatch[] = [
        { hardState: { term: 1, vote: 1, commit: 0 } },
        { entries: makeEntries(1, 8, 1) },
        { snapshot: makeSnapshot(3, 1, 64), compactTo: 3 },
        { hardState: { term: 2, vote: 0, commit: 5 } },
        { entries: makeEntries(7, 3, 2) },
      ];
      for (const batch of batches) {
        await storage.save(batch);
      }

      const reopened = await reopen(storage);

      expect(await reopened.load()).toEqual(StorageModel.of(batches).state());
    });

    it('is not changed through a saved batch or a loaded state', async () => {
      const storage = await open();
      const entries = makeEntries(1, 2, 1);
      const snapshot = makeSnapshot(0, 0, 8);
      const save = storage.save({ entries, snapshot });
      entries[0]!.data[0] = 99;
      snapshot.data[0] = 99;
      snapshot.meta.conf.voters.push(9);
      await save;

      const loaded = await storage.load();
      loaded.entries[1]!.data[0] = 77;

      expect(await storage.load()).toEqual({
        hardState: { term: 0, vote: 0, commit: 0 },
        snapshot: makeSnapshot(0, 0, 8),
        entries: makeEntries(1, 2, 1),
      });
    });

    it('rejects entries that would leave a gap in the log', async () => {
      const storage = await open();
      await storage.save({ entries: makeEntries(1, 2, 1) });

      await expect(
        storage.save({ entries: makeEntries(5, 1, 1) }),
      ).rejects.toBeInstanceOf(BugError);

      await storage.save({ entries: makeEntries(3, 1, 1) });
      expect((await storage.load()).entries).toEqual(makeEntries(1, 3, 1));
    });

    it('refuses saves and loads with STORAGE_CLOSED after close', async () => {
      const storage = await open();
      await storage.close();

      const closed = { code: 'STORAGE_CLOSED' };
      await expect(storage.save({ entries: [] })).rejects.toMatchObject(closed);
      await expect(storage.load()).rejects.toMatchObject(closed);
    });
  });
}

/** A snapshot at `index` with `size` bytes of seeded noise. */
export function makeSnapshot(
  index: number,
  term: number,
  size: number,
): Snapshot {
  const rng = new SeededRng(index * 31 + size);
  const data = new Uint8Array(size);
  const words = new Uint32Array(data.buffer, 0, Math.floor(size / 4));
  for (let i = 0; i < words.length; i++) {
    words[i] = rng.nextUint32();
  }
  for (let i = words.length * 4; i < size; i++) {
    data[i] = rng.nextUint32() & 0xff;
  }
  return {
    meta: { index, term, conf: { voters: [1, 2, 3], learners: [4] } },
    data,
  };
}

/**
 * `count` valid batches that overwrite each other: each rewrites the hard
 * state, most truncate the tail, some compact, a few carry a snapshot. Only
 * applying them in order gives the model's final state.
 */
function interleavedBatches(count: number): StorageBatch[] {
  const model = new StorageModel();
  const batches: StorageBatch[] = [];
  for (let i = 1; i <= count; i++) {
    const last = model.lastIndex();
    const start = Math.max(1, last + 1 - (i % 4));
    const batch: StorageBatch = {
      hardState: { term: i, vote: i % 3, commit: Math.max(0, start - 2) },
      entries: makeEntries(start, 1 + (i % 3), i),
    };
    if (i % 10 === 0) {
      batch.compactTo = start - 2;
    }
    if (i % 25 === 0) {
      batch.snapshot = makeSnapshot(start - 2, i, 32 + i);
    }
    model.apply(batch);
    batches.push(batch);
  }
  return batches;
}
