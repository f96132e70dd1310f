// Appends per second on LevelStorage with every save synced, for batches of
// 1, 64 and 512 entries of 256 bytes. Prints figures and writes
// bench/results/storage.json; asserts nothing (DESIGN §7).
//
// Run: node --import tsx bench/storage.bench.ts
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { Entry } from '../engine/raft/types';
import { LevelStorage } from '../engine/storage/level-storage';

const ENTRY_BYTES = 256;
const BATCH_SIZES = [1, 64, 512];
// enough entries per size for a steady figure without a long run
const ENTRIES_PER_RUN = 20_000;
const MIN_SAVES_PER_RUN = 200;

interface Result {
  batchEntries: number;
  saves: number;
  entries: number;
  seconds: number;
  savesPerSecond: number;
  appendsPerSecond: number;
  megabytesPerSecond: number;
}

async function measure(dir: string, batchEntries: number): Promise<Result> {
  const storage = await LevelStorage.open(join(dir, `batch-${batchEntries}`));
  const saves = Math.max(
    MIN_SAVES_PER_RUN,
    Math.ceil(ENTRIES_PER_RUN / batchEntries),
  );
  const data = new Uint8Array(ENTRY_BYTES).fill(0xa5);
  let next = 1;

  const makeBatch = (): Entry[] =>
    Array.from({ length: batchEntries }, () => ({
      index: next++,
      term: 1,
      type: 'normal' as const,
      data,
    }));

  // warm-up: open files, first compaction of the memtable
  for (let i = 0; i < 20; i++) {
    await storage.save({ entries: makeBatch() });
  }

  // one save at a time, as a node's single ordered queue issues them
  const started = performance.now();
  for (let i = 0; i < saves; i++) {
    await storage.save({
      hardState: { term: 1, vote: 1, commit: next - 1 },
      entries: makeBatch(),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await storage.close();

  const entries = saves * batchEntries;
  return {
    batchEntries,
    saves,
    entries,
    seconds: round(seconds, 3),
    savesPerSecond: Math.round(saves / seconds),
    appendsPerSecond: Math.round(entries / seconds),
    megabytesPerSecond: round((entries * ENTRY_BYTES) / seconds / 1e6, 1),
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aspen-storage-bench-'));
  const results: Result[] = [];
  try {
    for (const size of BATCH_SIZES) {
      results.push(await measure(dir, size));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  console.log(
    `LevelStorage, ${ENTRY_BYTES}-byte entries, ` +
      'every save synced (db.batch sync: true), in-process',
  );
  console.table(results);

  await mkdir(join('bench', 'results'), { recursive: true });
  const report = {
    bench: 'storage',
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    durability: 'fsync per save',
    entryBytes: ENTRY_BYTES,
    results,
  };
  const file = join('bench', 'results', 'storage.json');
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
