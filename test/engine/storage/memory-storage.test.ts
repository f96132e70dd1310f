// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SeededRng } from '../../../engine/ports/rng';
import type {
  PersistedState,
  StorageBatch,
} from '../../../engine/ports/storage';
import { MemoryStorage } from '../../../engine/storage/memory-storage';

import { makeEntries, StorageModel } from './storage-model';
import { runStorageSuite } from './storage-suite';

runStorageSuite('MemoryStorage', () => {
  let storage: MemoryStorage | undefined;
  return {
    open: () => {
      // a reopen starts from what the closed store made durable
      const initial = storage?.durableState();
      storage = new MemoryStorage(initial ? { initial } : {});
      return Promise.resolve(storage);
    },
    cleanup: () => Promise.resolve(),
  };
});

const TERM_1 = { term: 1, vote: 1, commit: 0 };
const TERM_2 = { term: 2, vote: 2, commit: 0 };

describe('MemoryStorage', () => {
  describe('crash()', () => {
    it('loses every batch staged after the last sync', () => {
      const storage = new MemoryStorage();
      storage.saveSync({ hardState: TERM_1, entries: makeEntries(1, 2, 1) });
      storage.sync();
      storage.saveSync({ hardState: TERM_2, entries: makeEntries(3, 1, 2) });
      storage.saveSync({ entries: makeEntries(2, 1, 2) });

      storage.crash();

      expect(storage.loadSync()).toEqual({
        hardState: TERM_1,
        entries: makeEntries(1, 2, 1),
      });
      expect(storage.unsyncedCount).toBe(0);
    });

    it('keeps an ordered prefix of the first unsynced batch when torn', () => {
      const kept = new Set<number>();
      for (let seed = 0; seed < 40; seed++) {
        const storage = new MemoryStorage();
        storage.saveSync({ entries: makeEntries(1, 2, 1) });
        storage.sync();
        storage.saveSync({ hardState: TERM_2, entries: makeEntries(2, 4, 2) });
        storage.saveSync({ entries: makeEntries(6, 2, 2) });

        storage.crash({ tornTail: true, rng: new SeededRng(seed) });

        const state = storage.loadSync();
        const torn = state.entries.filter((entry) => entry.term === 2).length;
        const expected =
          torn === 0
            ? makeEntries(1, 2, 1)
            : [...makeEntries(1, 1, 1), ...makeEntries(2, torn, 2)];
        expect(state.hardState).toEqual({ term: 0, vote: 0, commit: 0 });
        expect(state.entries).toEqual(expected);
        kept.add(torn);
      }
      // the tear lands anywhere, including nowhere and past the whole batch
      expect([...kept].sort()).toEqual([0, 1, 2, 3, 4]);
    });

    it('can keep a later batch and lose an earlier one with reorderWrites', () => {
      // bug 5 of reference/raft.md §2: the entries of a new term survive
      // while the vote that made them legal is lost
      const prefixes = [
        StorageModel.of([]).state(),
        StorageModel.of([{ hardState: TERM_2 }]).state(),
        StorageModel.of([
          { hardState: TERM_2 },
          { entries: makeEntries(1, 1, 2) },
        ]).state(),
      ];
      let anomalies = 0;
      for (let seed = 0; seed < 20; seed++) {
        const storage = new MemoryStorage({
          reorderWrites: true,
          rng: new SeededRng(seed),
        });
        storage.saveSync({ hardState: TERM_2 });
        storage.saveSync({ entries: makeEntries(1, 1, 2) });

        storage.crash();

        const state = storage.loadSync();
        if (!prefixes.some((prefix) => equal(prefix, state))) {
          expect(state.hardState.term).toBe(0);
          expect(state.entries).toEqual(makeEntries(1, 1, 2));
          anomalies++;
        }
      }
      expect(anomalies).toBeGreaterThan(0);
    });

    it('recovers the state after exactly the synced batches', () => {
      fc.assert(
        fc.property(fc.array(stepArbitrary(), { maxLength: 40 }), (steps) => {
          checkCrashRecovery(steps);
        }),
      );
    });
  });

  describe('save()', () => {
    it('makes batches staged before it durable too', async () => {
      const storage = new MemoryStorage();
      storage.saveSync({ entries: makeEntries(1, 1, 1) });

      await storage.save({ hardState: TERM_1 });
      storage.crash();

      expect(storage.durableState()).toEqual({
        hardState: TERM_1,
        entries: makeEntries(1, 1, 1),
      });
    });
  });
});

interface Step {
  kind: 'stage' | 'save' | 'sync' | 'crash' | 'tornCrash';
  back: number;
  count: number;
  hasHardState: boolean;
  compact: number;
  seed: number;
}

function stepArbitrary(): fc.Arbitrary<Step> {
  return fc.record({
    kind: fc.constantFrom('stage', 'save', 'sync', 'crash', 'tornCrash'),
    back: fc.nat(3),
    count: fc.nat(4),
    hasHardState: fc.boolean(),
    compact: fc.nat(6),
    seed: fc.nat(),
  });
}

/**
 * Runs `steps` against a store and two models (what was synced, what was
 * staged), and checks that every crash leaves exactly the synced state, or
 * with a torn tail that plus an ordered prefix of the next batch.
 */
function checkCrashRecovery(steps: Step[]): void {
  const storage = new MemoryStorage();
  const synced: StorageBatch[] = [];
  let staged: StorageBatch[] = [];
  let term = 0;

  for (const step of steps) {
    if (step.kind === 'sync') {
      storage.sync();
      synced.push(...staged.splice(0));
    } else if (step.kind === 'crash' || step.kind === 'tornCrash') {
      const first = staged[0];
      const isTorn = step.kind === 'tornCrash';
      storage.crash({ tornTail: isTorn, rng: new SeededRng(step.seed) });
      staged = [];
      const state = storage.loadSync();
      const candidates: StorageBatch[][] = [[]];
      for (let k = 1; isTorn && k <= (first?.entries?.length ?? 0); k++) {
        candidates.push([{ entries: first!.entries!.slice(0, k) }]);
      }
      const match = candidates.find((tail) =>
        equal(StorageModel.of([...synced, ...tail]).state(), state),
      );
      expect(match).toBeDefined();
      synced.push(...match!);
    } else {
      const batch = makeBatch(
        StorageModel.of([...synced, ...staged]),
        step,
        ++term,
      );
      storage.saveSync(batch);
      staged.push(batch);
      if (step.kind === 'save') {
        storage.sync();
        synced.push(...staged.splice(0));
      }
    }
  }
}

function makeBatch(
  model: StorageModel,
  step: Step,
  term: number,
): StorageBatch {
  const last = model.lastIndex();
  const batch: StorageBatch = {
    entries: makeEntries(Math.max(1, last + 1 - step.back), step.count, term),
  };
  if (step.hasHardState) {
    batch.hardState = { term, vote: term % 3, commit: 0 };
  }
  if (step.compact > 3) {
    batch.compactTo = last - step.compact;
  }
  return batch;
}

function equal(a: PersistedState, b: PersistedState): boolean {
  try {
    expect(b).toEqual(a);
    return true;
  } catch {
    return false;
  }
}
