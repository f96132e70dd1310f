import { randomBytes } from 'node:crypto';

import type { Command, Envelope } from '../../engine/state/commands';
import { encodeCommand, ENVELOPE_VERSION } from '../../engine/state/envelope';
import { isErrorResult } from '../../engine/state/results';
import { AspenError } from '../../engine/util/errors';

/** What the client proposes through: a cluster, or a stand-in in tests. */
export interface Proposer {
  propose(data: Uint8Array, timeoutMs?: number): Promise<unknown>;
}

/** Options of {@link CommandClient}. */
export interface CommandClientOptions {
  /** Cluster time to stamp (Unix ms, never behind the state's). */
  clusterNow(): number;
  /** How long one command may take, retries included. @defaultValue 10000 */
  timeoutMs?: number;
  /**
   * Commands in flight at once. Kept under the state's session window
   * (32), so a slow early command is never older than the results kept
   * for a retry. @defaultValue 30
   */
  maxInFlight?: number;
  /** A fixed client id (tests); a fresh random one otherwise. */
  clientId?: string;
}

/**
 * The only place the studio builds `normal` entries: each command gets the
 * leader-side stamp (cluster time and a random draw) and this client's
 * session (id, sequence), so retrying after `OUTCOME_UNKNOWN` resends the
 * very same bytes and the state answers the first result instead of
 * applying twice (Raft thesis §6.3). A refused command (an error result
 * from apply) is thrown as an `AspenError` with its code.
 */
export class CommandClient {
  readonly clientId: string;
  private seq = 0;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly proposer: Proposer,
    private readonly options: CommandClientOptions,
  ) {
    this.clientId =
      options.clientId ?? `studio-${randomBytes(8).toString('hex')}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxInFlight = options.maxInFlight ?? 30;
  }

  /** Proposes `cmd` and resolves with what apply returned. */
  async propose(cmd: Command): Promise<unknown> {
    await this.acquire();
    try {
      const seq = ++this.seq;
      const data = encodeCommand(this.envelope(cmd, seq));
      const deadline = Date.now() + this.timeoutMs;
      for (;;) {
        const left = Math.max(1, deadline - Date.now());
        try {
          return unwrap(await this.proposer.propose(data, left));
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (code !== 'OUTCOME_UNKNOWN' || Date.now() >= deadline) {
            throw error;
          }
        }
      }
    } finally {
      this.release();
    }
  }

  /** The envelope of one command: the stamp plus this client's session. */
  envelope(cmd: Command, seq: number): Envelope {
    return {
      v: ENVELOPE_VERSION,
      time: Math.floor(this.options.clusterNow()),
      random: randomBytes(4).readUInt32BE(0),
      client: this.clientId,
      seq,
      cmd,
    };
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next !== undefined) {
      next();
    } else {
      this.inFlight -= 1;
    }
  }
}

function unwrap(result: unknown): unknown {
  if (isErrorResult(result)) {
    throw new AspenError(result.error.code, result.error.message);
  }
  return result;
}
