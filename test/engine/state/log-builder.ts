import { encodeCommand } from '../../../engine/state/envelope';
import type { Command } from '../../../engine/state/commands';
import type {
  ApplyContext,
  StateEvent,
  StateModule,
} from '../../../engine/state/module';
import {
  encodeConfChange,
  encodeLeaderData,
} from '../../../engine/raft/entry-codec';
import type { ConfChange, Entry } from '../../../engine/raft/types';

/** Options of one command entry. */
export interface CmdOptions {
  time?: number;
  random?: number;
  client?: string;
  seq?: number;
}

/** Builds a Raft log of commands, leader and config entries. */
export class LogBuilder {
  readonly entries: Entry[] = [];
  term = 1;
  time = 1_000;

  get nextIndex(): number {
    return this.entries.length + 1;
  }

  cmd(cmd: Command, options: CmdOptions = {}): Entry {
    this.time = options.time ?? this.time;
    const { client, seq } = options;
    const data = encodeCommand({
      v: 1,
      time: this.time,
      random: options.random ?? 0,
      ...(client === undefined ? {} : { client, seq }),
      cmd,
    });
    return this.push('normal', data);
  }

  leader(id: number, term = this.term + 1): Entry {
    this.term = term;
    return this.push('leader', encodeLeaderData(id));
  }

  config(change: ConfChange): Entry {
    return this.push('config', encodeConfChange(change));
  }

  raw(data: Uint8Array): Entry {
    return this.push('normal', data);
  }

  private push(type: Entry['type'], data: Uint8Array): Entry {
    const entry = { index: this.nextIndex, term: this.term, type, data };
    this.entries.push(entry);
    return entry;
  }
}

/**
 * A small module for tests: counts, keeps deadlines, pins the events it is
 * told to, and counts the events it observes.
 */
export class CounterModule implements StateModule<unknown, unknown> {
  count = 0;
  observed = 0;
  deadlinesById = new Map<string, number>();
  pinned: StateEvent['id'][] = [];

  apply(command: unknown, ctx: ApplyContext): unknown {
    const cmd = command as { op: string; id?: string; ms?: number };
    if (cmd.op === 'add') {
      this.count += 1;
      ctx.emit('$studio.counter.added', {
        count: this.count,
        random: ctx.random,
      });
    } else if (cmd.op === 'timer') {
      this.deadlinesById.set(cmd.id!, ctx.now + cmd.ms!);
    } else if (cmd.op === 'pin') {
      const latest = ctx.index - 1;
      const id = { index: latest, offset: 0 };
      if (ctx.pin(id)) {
        this.pinned.push(id);
      }
    } else if (cmd.op === 'unpin') {
      const id = this.pinned.shift();
      if (id !== undefined) {
        ctx.unpin(id);
      }
    } else {
      // emits first, so a test can see the event taken back
      ctx.emit('$studio.counter.failing', {});
      throw new Error(`bad op ${cmd.op}`);
    }
    return { ok: true, count: this.count };
  }

  observe(): void {
    this.observed += 1;
  }

  deadlines(): { due: number; id: string }[] {
    return [...this.deadlinesById]
      .map(([id, due]) => ({ due, id }))
      .sort((a, b) => a.due - b.due || (a.id < b.id ? -1 : 1));
  }

  expire(ids: string[], ctx: ApplyContext): string[] {
    const done = ids.filter(
      (id) => (this.deadlinesById.get(id) ?? Infinity) <= ctx.now,
    );
    done.forEach((id) => this.deadlinesById.delete(id));
    return done;
  }

  snapshot(): unknown {
    return {
      count: this.count,
      observed: this.observed,
      deadlines: this.deadlines().map(({ due, id }) => [id, due]),
      pinned: this.pinned.map(({ index, offset }) => [index, offset]),
    };
  }

  restore(data: unknown): void {
    const image = data as
      | {
          count: number;
          observed: number;
          deadlines: [string, number][];
          pinned: [number, number][];
        }
      | undefined;
    this.count = image?.count ?? 0;
    this.observed = image?.observed ?? 0;
    this.deadlinesById = new Map(image?.deadlines ?? []);
    this.pinned = (image?.pinned ?? []).map(([index, offset]) => ({
      index,
      offset,
    }));
  }
}
