import { BugError } from '../util/errors';

import { fnv1a } from './trace';

/** A command of the simulated workload; `client` and `seq` form a session. */
export type KvCommand =
  | { kind: 'put'; client: number; seq: number; key: string; value: number }
  | { kind: 'read'; client: number; seq: number; key: string }
  | {
      kind: 'cas';
      client: number;
      seq: number;
      key: string;
      /** The value the key must hold (`null`: must be unset). */
      expected: number | null;
      value: number;
    };

/** What applying a command answered. */
export type KvOutput =
  | { kind: 'put' }
  | { kind: 'read'; value: number | null }
  | { kind: 'cas'; ok: boolean };

interface Session {
  seq: number;
  output: KvOutput;
}

interface KvImage {
  data: [string, number][];
  sessions: [number, number, KvOutput][];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The bytes a command travels as in a log entry. */
export function encodeCommand(command: KvCommand): Uint8Array {
  return encoder.encode(JSON.stringify(command));
}

/** Reads a command back from a log entry's data; a BugError if malformed. */
export function decodeCommand(data: Uint8Array): KvCommand {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch (error) {
    throw new BugError('kv: entry data is not a command', { cause: error });
  }
  if (!isCommand(parsed)) {
    throw new BugError('kv: entry data is not a command');
  }
  return parsed;
}

/**
 * The simulator's replicated state machine: a map from key to number with
 * put, read and compare-and-swap, plus one session per client so that a
 * command retried after an unknown outcome applies once and answers the
 * same (thesis §6.3). Fully deterministic: its snapshot and state hash sort
 * keys, so a replica restored from a snapshot and one that replayed the log
 * produce the same bytes.
 */
export class KvMachine {
  private readonly data = new Map<string, number>();
  private readonly sessions = new Map<number, Session>();

  /**
   * Applies `command` and returns its answer, or `undefined` for a stale
   * duplicate (a sequence number older than the client's latest, whose
   * answer nobody waits for any more).
   */
  apply(command: KvCommand): KvOutput | undefined {
    const session = this.sessions.get(command.client);
    if (session !== undefined && command.seq <= session.seq) {
      // a retry of the latest command gets the first answer again
      return command.seq === session.seq ? session.output : undefined;
    }

    const output = this.execute(command);
    this.sessions.set(command.client, { seq: command.seq, output });
    return output;
  }

  /** The value at `key`, for reads served from local state (ReadIndex). */
  get(key: string): number | null {
    return this.data.get(key) ?? null;
  }

  /** The whole state as bytes, for a Raft snapshot. */
  snapshot(): Uint8Array {
    return encoder.encode(this.canonical());
  }

  /** Replaces the whole state with a snapshot's. */
  restore(bytes: Uint8Array): void {
    this.data.clear();
    this.sessions.clear();
    if (bytes.length === 0) {
      return;
    }
    const image = JSON.parse(decoder.decode(bytes)) as KvImage;
    for (const [key, value] of image.data) {
      this.data.set(key, value);
    }
    for (const [client, seq, output] of image.sessions) {
      this.sessions.set(client, { seq, output });
    }
  }

  /** A hash equal on two machines exactly when their states are equal. */
  stateHash(): string {
    return fnv1a(this.canonical()).toString(16);
  }

  private execute(command: KvCommand): KvOutput {
    const current = this.data.get(command.key) ?? null;
    switch (command.kind) {
      case 'put':
        this.data.set(command.key, command.value);
        return { kind: 'put' };
      case 'read':
        return { kind: 'read', value: current };
      case 'cas':
        if (current !== command.expected) {
          return { kind: 'cas', ok: false };
        }
        this.data.set(command.key, command.value);
        return { kind: 'cas', ok: true };
    }
  }

  private canonical(): string {
    const image: KvImage = {
      data: [...this.data].sort((a, b) => compare(a[0], b[0])),
      sessions: [...this.sessions]
        .sort((a, b) => a[0] - b[0])
        .map(([client, s]) => [client, s.seq, s.output]),
    };
    return JSON.stringify(image);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isCommand(value: unknown): value is KvCommand {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  const hasSession =
    typeof v.client === 'number' &&
    typeof v.seq === 'number' &&
    typeof v.key === 'string';
  if (!hasSession) {
    return false;
  }
  switch (v.kind) {
    case 'put':
      return typeof v.value === 'number';
    case 'read':
      return true;
    case 'cas':
      return (
        typeof v.value === 'number' &&
        (v.expected === null || typeof v.expected === 'number')
      );
    default:
      return false;
  }
}
