import { silentLogger, type Logger } from '../ports/logger';
import type { PersistedState, Storage, StorageBatch } from '../ports/storage';

import { boundsAfterBatch, checkBatch, type LogBounds } from './batch';
import {
  StorageClosedError,
  StorageFailedError,
  UnsupportedFormatError,
} from './errors';
import {
  KeyPrefix,
  numberedKey,
  FORMAT_VERSION,
  RecordVersionError,
  SNAPSHOT_CHUNK_BYTES,
} from './level-codec';
import {
  addBatchOps,
  encodeBatch,
  type EncodedBatch,
  type LevelOp,
  type WriterState,
} from './level-ops';
import { openDatabase, readState, type LevelDb } from './level-read';

/** Options of {@link LevelStorage.open}. */
export interface LevelStorageOptions {
  /** Where open, failures and truncations are logged. */
  logger?: Logger;
  /**
   * Bytes per stored snapshot chunk; only tests change it.
   * @defaultValue 1 MiB
   */
  chunkBytes?: number;
}

interface SaveJob {
  kind: 'save';
  batch: EncodedBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface LoadJob {
  kind: 'load';
  resolve: (state: PersistedState) => void;
  reject: (error: unknown) => void;
}

/**
 * The app's {@link Storage}: a LevelDB directory through classic-level.
 * Each save is one synced LevelDB batch; saves run strictly in call order
 * through a single queue, so a later batch can never be durable before an
 * earlier one (reference/raft.md §2 bug 5).
 */
export class LevelStorage implements Storage {
  private readonly queue: (SaveJob | LoadJob)[] = [];
  private pumping: Promise<void> | undefined;
  /** Bounds as if every queued save had been written. */
  private queuedBounds: LogBounds;
  private failure: StorageFailedError | undefined;
  private isClosed = false;
  private closing: Promise<void> | undefined;
  private clearing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: LevelDb,
    /** The directory this store lives in. */
    readonly dir: string,
    private readonly logger: Logger,
    private readonly chunkBytes: number,
    private written: WriterState,
  ) {
    this.queuedBounds = written.bounds;
  }

  /**
   * Opens (creating if needed) the store in `dir`.
   * @throws StorageLockedError when `dir` is already open elsewhere.
   * @throws UnsupportedFormatError when `dir` holds a format this build
   * does not know; nothing on disk is changed.
   */
  static async open(
    dir: string,
    options: LevelStorageOptions = {},
  ): Promise<LevelStorage> {
    const logger = (options.logger ?? silentLogger).child({ scope: 'storage' });
    const { db, state } = await openDatabase(dir, logger);
    const chunkBytes = options.chunkBytes ?? SNAPSHOT_CHUNK_BYTES;
    return new LevelStorage(db, dir, logger, chunkBytes, state);
  }

  /** {@inheritDoc Storage.load} */
  load(): Promise<PersistedState> {
    if (this.isClosed) {
      return Promise.reject(new StorageClosedError());
    }
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'load', resolve, reject });
    });
  }

  /** {@inheritDoc Storage.save} */
  save(batch: StorageBatch): Promise<void> {
    if (this.isClosed) {
      return Promise.reject(new StorageClosedError());
    }
    if (this.failure !== undefined) {
      return Promise.reject(this.failure);
    }

    let encoded: EncodedBatch;
    try {
      checkBatch(this.queuedBounds, batch);
      encoded = encodeBatch(batch, this.chunkBytes);
    } catch (error) {
      return Promise.reject(error);
    }
    const start = batch.entries?.[0]?.index;
    if (start !== undefined && start <= this.queuedBounds.last) {
      this.logger.debug('log truncated', {
        dir: this.dir,
        from: start,
        to: this.queuedBounds.last,
      });
    }
    this.queuedBounds = boundsAfterBatch(this.queuedBounds, batch);

    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'save', batch: encoded, resolve, reject });
    });
  }

  /** {@inheritDoc Storage.close} */
  close(): Promise<void> {
    this.isClosed = true;
    this.closing ??= (async () => {
      await this.pumping;
      await this.clearing;
      await this.db.close();
      this.logger.debug('storage closed', { dir: this.dir });
    })();
    return this.closing;
  }

  private enqueue(job: SaveJob | LoadJob): void {
    this.queue.push(job);
    this.pumping ??= this.pump();
  }

  private async pump(): Promise<void> {
    // one job at a time: classic-level runs concurrent batches on several
    // threadpool threads, which could reach LevelDB out of call order
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      if (job.kind === 'load') {
        await this.runLoad(job);
      } else {
        await this.runSave(job);
      }
    }
    this.pumping = undefined;
  }

  private async runLoad(job: LoadJob): Promise<void> {
    try {
      job.resolve(await readState(this.db));
    } catch (error) {
      job.reject(this.explain(error));
    }
  }

  private async runSave(job: SaveJob): Promise<void> {
    if (this.failure !== undefined) {
      job.reject(this.failure);
      return;
    }

    const ops: LevelOp[] = [];
    const next = addBatchOps(ops, job.batch, this.written);
    try {
      await this.db.batch(ops, { sync: true });
    } catch (error) {
      // the queue stops here: nothing queued after a lost write may land
      this.failure = new StorageFailedError(
        `could not write to storage in ${this.dir}: ${describe(error)}`,
        { cause: error },
      );
      this.logger.error('storage write failed', {
        dir: this.dir,
        error: describe(error),
      });
      job.reject(this.failure);
      return;
    }

    this.written = { bounds: next.bounds, snapshotChunks: next.snapshotChunks };
    if (next.compacted !== undefined) {
      this.clearEntries(next.compacted);
    }
    job.resolve();
  }

  // runs beside the queue: these keys are never written again, so order
  // does not matter; close() waits for it
  private clearEntries([from, to]: [number, number]): void {
    const clear = this.db
      .clear({
        gte: numberedKey(KeyPrefix.entry, from),
        lte: numberedKey(KeyPrefix.entry, to),
      })
      .catch((error: unknown) => {
        this.logger.warn('clearing compacted entries failed', {
          dir: this.dir,
          error: describe(error),
        });
      });
    this.clearing = Promise.all([this.clearing, clear]).then(() => {});
  }

  private explain(error: unknown): unknown {
    if (error instanceof RecordVersionError) {
      return new UnsupportedFormatError(this.dir, error.found, FORMAT_VERSION, {
        cause: error,
      });
    }
    return error;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
