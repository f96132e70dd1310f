import { BadHistoryError } from './errors';
import type { Operation } from './linearizability';

/**
 * How an event line starts or ends an operation, in Jepsen's terms: `ok`
 * returned, `fail` certainly had no effect, `info` has an unknown outcome.
 */
export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** An operation being read, with the line of its call. */
interface Entry<I, O> {
  op: Operation<I, O>;
  line: number;
  isDropped: boolean;
}

/**
 * Pairs calls with completions by process (the client) while a text history is read.
 * A `fail` drops the operation, an `info` leaves its return unknown, and so
 * does a call that never completes. Times are event ordinals.
 */
export class HistoryBuilder<I, O> {
  private readonly open = new Map<number, Entry<I, O>>();
  private readonly entries: Entry<I, O>[] = [];
  private time = 0;

  /** Starts an operation of `client`, which must have none open. */
  invoke(client: number, input: I, line: number): void {
    const open = this.open.get(client);
    if (open !== undefined) {
      throw new BadHistoryError(
        `process ${client} calls again before its call on line ${open.line} completed`,
        line,
      );
    }
    const entry = {
      op: { client, input, call: this.time },
      line,
      isDropped: false,
    };
    this.time += 1;
    this.open.set(client, entry);
    this.entries.push(entry);
  }

  /** The input of the operation `client` has open, for checking against. */
  openInput(client: number, line: number): I {
    const open = this.open.get(client);
    if (open === undefined) {
      throw new BadHistoryError(
        `process ${client} completes an operation it never called`,
        line,
      );
    }
    return open.op.input;
  }

  /** Ends the open operation of `client`; `output` counts for `ok` only. */
  complete(client: number, type: EventType, output: O | undefined): void {
    const entry = this.open.get(client);
    if (entry === undefined) {
      return;
    }
    this.open.delete(client);
    if (type === 'ok') {
      entry.op.output = output;
      entry.op.return = this.time;
    } else if (type === 'fail') {
      entry.isDropped = true;
    }
    this.time += 1;
  }

  /** The operations read, failed ones left out. */
  finish(): Operation<I, O>[] {
    if (this.entries.length === 0) {
      throw new BadHistoryError('the history holds no operations');
    }
    return this.entries
      .filter((entry) => !entry.isDropped)
      .map((entry) => entry.op);
  }
}
