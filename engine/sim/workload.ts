import type { CasKvInput, CasKvOutput } from '../check/cas-kv-model';
import type { Operation } from '../check/linearizability';
import { randomInt, type Rng } from '../ports/rng';
import { AspenError } from '../util/errors';

import {
  describe,
  describeOutput,
  drawOp,
  toModelOutput,
  type Op,
} from './client-op';
import type { PickTarget, ProposeOutcome, ReadOutcome } from './client-target';
import type { EventQueue } from './event-queue';
import type { Trace } from './trace';

/** Shape of the client workload. */
export interface WorkloadOptions {
  /** Number of keys. @defaultValue 3 */
  keys?: number;
  /** Clients per key (few, so the checker stays tractable). @defaultValue 2 */
  clientsPerKey?: number;
  /** Longest pause between one op and the next, ms. @defaultValue 40 */
  maxThinkMs?: number;
  /** How long one attempt may wait before retrying elsewhere, ms. @defaultValue 300 */
  attemptTimeoutMs?: number;
  /** How long an op may take before its outcome is unknown, ms. @defaultValue 1000 */
  opTimeoutMs?: number;
}

/** A write or cas a client saw succeed, and where it committed. */
export interface AckedWrite {
  client: number;
  seq: number;
  index: number;
  term: number;
}

/** Counters of the workload, for the run's stats. */
export interface WorkloadStats {
  calls: number;
  ok: number;
  unknown: number;
  /** Ops that certainly had no effect, left out of the history. */
  failed: number;
  retries: number;
  readIndexReads: number;
  logReads: number;
}

interface Client {
  id: number;
  key: string;
  seq: number;
  /** The last value this client saw at its key. */
  seen: number | null;
  op?: Op;
}

/**
 * The simulated clients: a few per key, each running one op at a time
 * (put, cas or read, every written value unique), retrying on another node
 * with the same session sequence after a refusal or a timeout, and
 * recording what it saw as a history for the linearizability checker.
 * Reads go through ReadIndex or through the log, at random.
 */
export class Workload {
  readonly history: Operation<CasKvInput, CasKvOutput>[] = [];
  readonly acked: AckedWrite[] = [];
  readonly stats: WorkloadStats = {
    calls: 0,
    ok: 0,
    unknown: 0,
    failed: 0,
    retries: 0,
    readIndexReads: 0,
    logReads: 0,
  };
  private readonly clients: Client[] = [];
  private readonly written = new Map<string, number[]>();
  private nextValue = 1;
  private isStopping = false;
  private readonly keys: number;
  private readonly maxThinkMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly opTimeoutMs: number;

  constructor(
    private readonly queue: EventQueue,
    private readonly rng: Rng,
    private readonly trace: Trace,
    private readonly pick: PickTarget,
    options: WorkloadOptions = {},
  ) {
    this.keys = options.keys ?? 3;
    this.maxThinkMs = options.maxThinkMs ?? 40;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 300;
    this.opTimeoutMs = options.opTimeoutMs ?? 1000;
    const perKey = options.clientsPerKey ?? 2;
    for (let k = 0; k < this.keys; k++) {
      for (let c = 0; c < perKey; c++) {
        const id = this.clients.length + 1;
        this.clients.push({ id, key: `k${k}`, seq: 0, seen: null });
      }
    }
  }

  /** Ops still waiting for an answer. */
  get outstanding(): number {
    return this.clients.filter((c) => c.op !== undefined).length;
  }

  /** Starts every client after a random pause. */
  start(): void {
    for (const client of this.clients) {
      this.queue.schedule(randomInt(this.rng, this.maxThinkMs), () =>
        this.begin(client),
      );
    }
  }

  /** Lets running ops finish and starts no new ones. */
  stop(): void {
    this.isStopping = true;
  }

  private begin(client: Client): void {
    if (this.isStopping) {
      return;
    }
    client.seq += 1;
    const recent = this.written.get(client.key) ?? [];
    const op = drawOp(
      this.rng,
      client,
      recent,
      this.queue.now,
      () => this.nextValue++,
    );
    client.op = op;
    this.stats.calls += 1;
    this.trace.line(this.queue.now, `c${client.id} call ${describe(op)}`);
    this.queue.schedule(this.opTimeoutMs, () => this.expire(client, op));
    this.attempt(client, op);
  }

  private attempt(client: Client, op: Op): void {
    if (op.isDone) {
      return;
    }
    op.attempt += 1;
    if (op.attempt > 1) {
      this.stats.retries += 1;
    }
    const attempt = op.attempt;
    const target = this.pick();
    if (target === undefined) {
      this.retrySoon(client, op);
      return;
    }

    try {
      if (op.isReadIndex) {
        target.readIndex(client.key, (outcome) =>
          this.onRead(client, op, attempt, outcome),
        );
      } else {
        target.propose(op.command, (outcome) =>
          this.onProposal(client, op, attempt, outcome),
        );
        op.mayHaveEffect = op.command.kind !== 'read';
      }
    } catch (error) {
      if (isRefusal(error)) {
        this.retrySoon(client, op);
        return;
      }
      throw error;
    }
    this.queue.schedule(this.attemptTimeoutMs, () => {
      if (op.attempt === attempt) {
        this.attempt(client, op);
      }
    });
  }

  private retrySoon(client: Client, op: Op): void {
    const attempt = op.attempt;
    this.queue.schedule(5 + randomInt(this.rng, 20), () => {
      if (op.attempt === attempt) {
        this.attempt(client, op);
      }
    });
  }

  private onProposal(
    client: Client,
    op: Op,
    attempt: number,
    outcome: ProposeOutcome,
  ): void {
    if (op.isDone) {
      return;
    }
    if (outcome.kind === 'dropped') {
      // only this attempt failed; an earlier one may still commit
      if (attempt === op.attempt) {
        this.retrySoon(client, op);
      }
      return;
    }
    // any attempt's answer is the command's: the session applies it once
    const { output } = outcome;
    if (op.command.kind !== 'read') {
      this.acked.push({
        client: client.id,
        seq: op.command.seq,
        index: outcome.index,
        term: outcome.term,
      });
    }
    this.finish(client, op, toModelOutput(output));
  }

  private onRead(
    client: Client,
    op: Op,
    attempt: number,
    outcome: ReadOutcome,
  ): void {
    if (op.isDone) {
      return;
    }
    if (outcome.kind === 'dropped') {
      if (attempt === op.attempt) {
        this.retrySoon(client, op);
      }
      return;
    }
    this.finish(client, op, { type: 'read', value: outcome.value });
  }

  private finish(client: Client, op: Op, output: CasKvOutput): void {
    op.isDone = true;
    client.op = undefined;
    this.stats.ok += 1;
    if (op.isReadIndex) {
      this.stats.readIndexReads += 1;
    } else if (op.command.kind === 'read') {
      this.stats.logReads += 1;
    }
    this.remember(client, op, output);
    this.history.push({
      client: client.id,
      input: op.input,
      call: op.call,
      output,
      return: this.queue.now,
    });
    this.trace.line(
      this.queue.now,
      `c${client.id} done ${describe(op)} -> ${describeOutput(output)}`,
    );
    this.next(client);
  }

  private expire(client: Client, op: Op): void {
    if (op.isDone) {
      return;
    }
    op.isDone = true;
    client.op = undefined;
    if (op.mayHaveEffect) {
      // it may yet commit: the checker places it anywhere after its call
      this.stats.unknown += 1;
      this.history.push({ client: client.id, input: op.input, call: op.call });
      this.trace.line(this.queue.now, `c${client.id} unknown ${describe(op)}`);
    } else {
      // a read, or a write no node took: it changed nothing, so it is left
      // out of the history (see Operation in check/linearizability)
      this.stats.failed += 1;
      this.trace.line(this.queue.now, `c${client.id} failed ${describe(op)}`);
    }
    this.next(client);
  }

  private remember(client: Client, op: Op, output: CasKvOutput): void {
    const command = op.command;
    if (output.type === 'read') {
      client.seen = output.value as number | null;
      return;
    }
    if (command.kind === 'read') {
      return;
    }
    if (output.type === 'write' || (output.type === 'cas' && output.ok)) {
      client.seen = command.value;
      const recent = this.written.get(command.key) ?? [];
      recent.push(command.value);
      this.written.set(command.key, recent.slice(-5));
    }
  }

  private next(client: Client): void {
    const pause = 1 + randomInt(this.rng, this.maxThinkMs);
    this.queue.schedule(pause, () => this.begin(client));
  }
}

function isRefusal(error: unknown): boolean {
  return (
    error instanceof AspenError &&
    (error.code === 'NOT_LEADER' || error.code === 'PROPOSAL_DROPPED')
  );
}
