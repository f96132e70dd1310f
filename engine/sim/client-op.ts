import type { CasKvInput, CasKvOutput } from '../check/cas-kv-model';
import { randomFloat, randomInt, type Rng } from '../ports/rng';

import type { KvCommand, KvOutput } from './kv-machine';

/** One client operation in progress. */
export interface Op {
  command: KvCommand;
  /** The same operation as the checker's model sees it. */
  input: CasKvInput;
  /** Virtual time of the call. */
  call: number;
  isReadIndex: boolean;
  /** Attempts so far; an answer to any of them answers the op. */
  attempt: number;
  /** Whether some attempt may have reached the log. */
  mayHaveEffect: boolean;
  isDone: boolean;
}

/** Who issues an op: a session on one key. */
export interface OpIssuer {
  id: number;
  key: string;
  /** Session sequence number of this op. */
  seq: number;
  /** The last value this client saw at its key. */
  seen: number | null;
}

/**
 * Draws the next op of `client`: 40% reads (half through ReadIndex, half
 * through the log), 30% puts, 30% compare-and-swaps. Every written value
 * comes from `nextValue`, so each is unique in the run; a cas mostly names
 * a value the key may really hold (`recent` writes to it, or the last
 * value the client saw), so some succeed.
 */
export function drawOp(
  rng: Rng,
  client: OpIssuer,
  recent: readonly number[],
  now: number,
  nextValue: () => number,
): Op {
  const { id, key, seq } = client;
  const roll = randomFloat(rng);
  const base = {
    call: now,
    attempt: 0,
    isDone: false,
    isReadIndex: false,
    mayHaveEffect: false,
  };
  if (roll < 0.4) {
    return {
      ...base,
      command: { kind: 'read', client: id, seq, key },
      input: { type: 'read', key },
      isReadIndex: randomInt(rng, 2) === 0,
    };
  }
  const value = nextValue();
  if (roll < 0.7) {
    return {
      ...base,
      command: { kind: 'put', client: id, seq, key, value },
      input: { type: 'write', key, value },
    };
  }
  const pick = randomInt(rng, 4);
  const expected =
    pick === 0 || recent.length === 0
      ? client.seen
      : recent[randomInt(rng, recent.length)]!;
  return {
    ...base,
    command: { kind: 'cas', client: id, seq, key, expected, value },
    input: { type: 'cas', key, from: expected, to: value },
  };
}

/** The checker's form of a state-machine answer. */
export function toModelOutput(output: KvOutput): CasKvOutput {
  switch (output.kind) {
    case 'put':
      return { type: 'write' };
    case 'read':
      return { type: 'read', value: output.value };
    case 'cas':
      return { type: 'cas', ok: output.ok };
  }
}

/** One line for an op, for the trace. */
export function describe(op: Op): string {
  const c = op.command;
  switch (c.kind) {
    case 'put':
      return `put ${c.key}=${c.value}`;
    case 'read':
      return `read ${c.key} via ${op.isReadIndex ? 'readIndex' : 'log'}`;
    case 'cas':
      return `cas ${c.key} ${c.expected ?? 'null'}->${c.value}`;
  }
}

/** One line for an answer, for the trace. */
export function describeOutput(output: CasKvOutput): string {
  switch (output.type) {
    case 'read':
      return String(output.value);
    case 'write':
      return 'ok';
    case 'cas':
      return output.ok ? 'ok' : 'fail';
  }
}
