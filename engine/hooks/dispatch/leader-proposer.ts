import { randomBytes } from 'node:crypto';

import type { RaftHost } from '../../node/raft-host';
import { SeededRng, type Rng } from '../../ports/rng';
import type { Command } from '../../state/commands';
import { encodeCommand, ENVELOPE_VERSION } from '../../state/envelope';
import { isErrorResult } from '../../state/results';
import { AspenError } from '../../util/errors';

/**
 * How the dispatcher proposes its own commands (leases, acks, expiries,
 * reclaims) through its node, which leads. It stamps each entry with the
 * cluster time (never behind the state's) and a random draw, as every
 * leader-made entry must be (DESIGN §3.3).
 *
 * Leases are not idempotent (a repeat would lease more jobs), so they go
 * under a client session and a retry after `OUTCOME_UNKNOWN` resends the
 * same bytes (Raft thesis §6.3). The other commands are safe to repeat:
 * a second ack of the same attempt is refused as `FENCED`, an expiry or a
 * reclaim re-checks what it ends.
 *
 * @packageDocumentation
 */

/** What the proposer needs of its node and state. */
export interface ProposerOptions {
  host: Pick<RaftHost, 'propose' | 'status'>;
  /** The state's cluster time, which a stamp may not fall behind. */
  stateTime(): number;
  /** The leader's cluster time (Unix ms). */
  clusterNow(): number;
  /** The term this proposer leads in; it stops retrying once it ends. */
  term: number;
  /** Session id of the proposer's non-idempotent commands. */
  clientId: string;
  rng?: Rng;
}

/** A command was refused by apply; the result's code is kept. */
export class CommandRefusedError extends AspenError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'CommandRefusedError';
  }
}

/** Proposes stamped commands through a leading node. */
export class LeaderProposer {
  private seq = 0;
  private readonly rng: Rng;

  constructor(private readonly options: ProposerOptions) {
    this.rng = options.rng ?? new SeededRng(randomBytes(4).readUInt32BE(0));
  }

  /** Whether the node still leads in this proposer's term. */
  get isLeading(): boolean {
    const status = this.options.host.status();
    return status.role === 'leader' && status.term === this.options.term;
  }

  /**
   * Proposes `cmd` and resolves with what apply returned (a refusal
   * included: callers read `ok`).
   */
  async propose(cmd: Command): Promise<unknown> {
    return this.options.host.propose(this.encode(cmd));
  }

  /**
   * Proposes a command that must not apply twice, retrying the same bytes
   * while the outcome is unknown and this node still leads.
   */
  async proposeOnce(cmd: Command): Promise<unknown> {
    const data = this.encode(cmd, ++this.seq);
    for (;;) {
      try {
        return await this.options.host.propose(data);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== 'OUTCOME_UNKNOWN' || !this.isLeading) {
          throw error;
        }
      }
    }
  }

  /** Like {@link LeaderProposer.propose}, but a refusal throws. */
  async proposeOk<T>(cmd: Command): Promise<T> {
    const result = await this.propose(cmd);
    if (isErrorResult(result)) {
      throw new CommandRefusedError(result.error.code, result.error.message);
    }
    return result as T;
  }

  private encode(cmd: Command, seq?: number): Uint8Array {
    const { clusterNow, stateTime, clientId } = this.options;
    const time = Math.max(Math.floor(clusterNow()), stateTime());
    const random = this.rng.nextUint32();
    return encodeCommand({
      v: ENVELOPE_VERSION,
      time,
      random,
      ...(seq === undefined ? {} : { client: clientId, seq }),
      cmd,
    });
  }
}
