import { Worker, type ResourceLimits } from 'node:worker_threads';

import { WORKER_SOURCE } from './worker-source';
import { systemClock, type Clock, type Disposable } from '../../ports/clock';
import { silentLogger, type Logger } from '../../ports/logger';

/** How one in-process attempt ended. */
export type InProcessOutcome =
  | { status: 'succeeded'; value?: unknown }
  | { status: 'retry'; message: string; delayMs: number }
  | { status: 'terminal'; message: string }
  | {
      status: 'failed';
      reason: 'threw' | 'timeout' | 'crashed';
      message: string;
    };

/** Options of a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Absolute path of the handler module (ESM or CommonJS). */
  modulePath: string;
  /** Workers kept alive; one attempt each at a time. @defaultValue 2 */
  size?: number;
  /** Memory limits of each worker. @defaultValue 128 MB old generation */
  resourceLimits?: ResourceLimits;
  clock?: Clock;
  logger?: Logger;
}

/** Options of one attempt. */
export interface AttemptOptions {
  /** Terminate the worker after this long; undefined: no timeout. */
  timeoutMs?: number;
  /** Called when the handler reports it is still working. */
  onProgress?(): void;
}

interface Job {
  id: number;
  event: unknown;
  options: AttemptOptions;
  resolve(outcome: InProcessOutcome): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: Disposable;
}

/**
 * A pool of long-lived workers running one workspace handler module. An
 * attempt runs off the main thread; on timeout its worker is terminated and
 * replaced (nothing else stops a synchronous loop). A throwing, hanging or
 * crashing handler affects only its own attempt. Workers are isolated from
 * the service's objects, which is not a security boundary.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private nextId = 1;
  private isClosed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({
      scope: 'in-process',
      module: options.modulePath,
    });
    for (let i = 0; i < (options.size ?? 2); i++) {
      this.slots.push(this.spawn());
    }
  }

  /** Runs the handler on `event` (structured-cloned into the worker). */
  run(event: unknown, options: AttemptOptions = {}): Promise<InProcessOutcome> {
    if (this.isClosed) {
      return Promise.resolve({
        status: 'failed',
        reason: 'crashed',
        message: 'the handler pool is closed',
      });
    }
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, event, options, resolve });
      this.dispatch();
    });
  }

  /** Replaces every worker, so an edited module is loaded afresh. */
  async reload(): Promise<void> {
    const old = this.slots.splice(0);
    for (const slot of old) {
      slot.timer?.dispose();
      slot.job?.resolve({
        status: 'failed',
        reason: 'crashed',
        message: 'handler reloaded during the attempt',
      });
    }
    for (let i = 0; i < (this.options.size ?? 2); i++) {
      this.slots.push(this.spawn());
    }
    await Promise.all(old.map((slot) => slot.worker.terminate()));
    this.dispatch();
  }

  /** Terminates every worker; queued attempts fail. */
  async close(): Promise<void> {
    this.isClosed = true;
    for (const job of this.queue.splice(0)) {
      job.resolve({ status: 'failed', reason: 'crashed', message: 'closed' });
    }
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.timer?.dispose();
      slot.job?.resolve({
        status: 'failed',
        reason: 'crashed',
        message: 'closed',
      });
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modulePath: this.options.modulePath },
      resourceLimits: this.options.resourceLimits ?? {
        maxOldGenerationSizeMb: 128,
      },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker };
    worker.unref();
    worker.on('message', (message: WorkerMessage) =>
      this.onMessage(slot, message),
    );
    worker.on('error', (error) => this.onCrash(slot, error.message));
    worker.on('exit', (code) => this.onCrash(slot, `worker exited (${code})`));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== undefined) {
        continue;
      }
      const job = this.queue.shift();
      if (job === undefined) {
        return;
      }
      slot.job = job;
      const { timeoutMs } = job.options;
      if (timeoutMs !== undefined) {
        slot.timer = this.clock.setTimeout(
          () => this.onTimeout(slot, timeoutMs),
          timeoutMs,
        );
      }
      slot.worker.postMessage({ id: job.id, event: job.event });
    }
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    const job = slot.job;
    if (job === undefined || !('id' in message) || message.id !== job.id) {
      return;
    }
    if (message.kind === 'progress') {
      job.options.onProgress?.();
      return;
    }
    this.finish(slot, toOutcome(message.outcome));
  }

  private onTimeout(slot: Slot, timeoutMs: number): void {
    this.logger.warn('handler timed out; worker replaced', { timeoutMs });
    this.replace(slot, {
      status: 'failed',
      reason: 'timeout',
      message: `timed out after ${timeoutMs} ms`,
    });
  }

  private onCrash(slot: Slot, why: string): void {
    if (!this.slots.includes(slot)) {
      return;
    }
    this.logger.warn('handler worker crashed', { why });
    this.replace(slot, { status: 'failed', reason: 'crashed', message: why });
  }

  private replace(slot: Slot, outcome: InProcessOutcome): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) {
      return;
    }
    slot.timer?.dispose();
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (this.isClosed) {
      this.slots.splice(index, 1);
    } else {
      this.slots[index] = this.spawn();
    }
    slot.job?.resolve(outcome);
    slot.job = undefined;
    this.dispatch();
  }

  private finish(slot: Slot, outcome: InProcessOutcome): void {
    const job = slot.job;
    slot.timer?.dispose();
    slot.timer = undefined;
    slot.job = undefined;
    job?.resolve(outcome);
    this.dispatch();
  }
}

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'progress'; id: number }
  | { kind: 'done'; id: number; outcome: RawOutcome };

interface RawOutcome {
  status: 'succeeded' | 'retry' | 'failed' | 'terminal';
  message?: string;
  delayMs?: number;
  value?: unknown;
}

function toOutcome(raw: RawOutcome): InProcessOutcome {
  switch (raw.status) {
    case 'succeeded':
      return { status: 'succeeded', value: raw.value };
    case 'retry':
      return {
        status: 'retry',
        message: raw.message ?? 'nak',
        delayMs: Math.max(0, raw.delayMs ?? 0),
      };
    case 'terminal':
      return { status: 'terminal', message: raw.message ?? 'term' };
    default:
      return {
        status: 'failed',
        reason: 'threw',
        message: raw.message ?? 'failed',
      };
  }
}
