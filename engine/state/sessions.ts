import { errorResult, type ErrorResult } from './results';

/**
 * Client sessions (Raft thesis §6.3): each client numbers its commands, and
 * the state remembers the latest results per client, so a command retried
 * after `OUTCOME_UNKNOWN` answers its first result instead of applying
 * twice.
 *
 * Bounds, so the table cannot grow without limit:
 * - at most {@link SessionTable.maxClients} clients. Past it, the client
 *   seen least recently (smallest last-seen Raft index) is evicted. One
 *   entry carries one client, so last-seen indexes are distinct and the
 *   choice is the same on every replica.
 * - at most {@link SESSION_WINDOW} results per client: a client may have
 *   that many commands in flight. A retry older than the window answers
 *   `SESSION_EXPIRED` rather than applying again.
 *
 * An evicted client that retries is indistinguishable from a new one and
 * its command applies again; with thousands of slots and LRU order that
 * takes a client silent for thousands of other clients' commands.
 *
 * @packageDocumentation
 */

/** Results kept per client: how many commands it may have in flight. */
export const SESSION_WINDOW = 32;

/** Clients kept by default. */
export const DEFAULT_MAX_SESSIONS = 10_000;

interface Session {
  /** Raft index of the client's latest command. */
  lastIndex: number;
  /** (seq, result) ascending by seq, at most {@link SESSION_WINDOW}. */
  results: [number, unknown][];
}

/** A session as the snapshot stores it: `[client, lastIndex, results]`. */
export type SessionImage = [string, number, [number, unknown][]];

/** What {@link SessionTable.check} decided for a (client, seq). */
export type SessionCheck =
  | { kind: 'new' }
  | { kind: 'duplicate'; result: unknown }
  | { kind: 'expired'; result: ErrorResult };

/** The bounded table of client sessions; part of the replicated state. */
export class SessionTable {
  // insertion order is kept equal to last-seen order (every touch
  // re-inserts, restore inserts sorted), so the first key is the LRU one
  private readonly sessions = new Map<string, Session>();

  constructor(readonly maxClients = DEFAULT_MAX_SESSIONS) {}

  /** How many clients the table holds. */
  get size(): number {
    return this.sessions.size;
  }

  /** Whether (client, seq) was applied already, and what it answered. */
  check(client: string, seq: number): SessionCheck {
    const session = this.sessions.get(client);
    if (session === undefined) {
      return { kind: 'new' };
    }
    const { results } = session;
    for (let i = results.length - 1; i >= 0; i--) {
      const [known, result] = results[i]!;
      if (known === seq) {
        return { kind: 'duplicate', result };
      }
      if (known < seq) {
        break;
      }
    }
    const oldest = results[0]?.[0] ?? 0;
    if (results.length >= SESSION_WINDOW && seq < oldest) {
      const why = `command ${seq} of client ${client} is older than the ${SESSION_WINDOW} results kept (oldest ${oldest}); its outcome is unknown`;
      return { kind: 'expired', result: errorResult('SESSION_EXPIRED', why) };
    }
    return { kind: 'new' };
  }

  /** Records the result of a command that was applied at `index`. */
  record(client: string, seq: number, index: number, result: unknown): void {
    const session = this.sessions.get(client) ?? { lastIndex: 0, results: [] };
    this.sessions.delete(client);
    session.lastIndex = index;

    // seqs usually arrive in order; keep the list sorted when they do not
    const { results } = session;
    let at = results.length;
    while (at > 0 && results[at - 1]![0] > seq) {
      at -= 1;
    }
    results.splice(at, 0, [seq, result]);
    if (results.length > SESSION_WINDOW) {
      results.shift();
    }

    this.sessions.set(client, session);
    while (this.sessions.size > this.maxClients) {
      const lru = this.sessions.keys().next().value as string;
      this.sessions.delete(lru);
    }
  }

  /** The sessions, ascending by last-seen index (then client id). */
  snapshot(): SessionImage[] {
    const images: SessionImage[] = [];
    for (const [client, { lastIndex, results }] of this.sessions) {
      images.push([client, lastIndex, results.map(([s, r]) => [s, r])]);
    }
    return images.sort(
      (a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    );
  }

  /** Replaces the table with a snapshot's sessions. */
  restore(images: readonly SessionImage[]): void {
    this.sessions.clear();
    const sorted = [...images].sort((a, b) => a[1] - b[1]);
    for (const [client, lastIndex, results] of sorted) {
      this.sessions.set(client, { lastIndex, results: [...results] });
    }
  }
}
