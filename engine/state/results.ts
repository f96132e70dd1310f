import type { EventId } from './module';

/**
 * What applying a command answers. Plain data: it is cached in the session
 * table (so part of the snapshot), handed to the proposer, and may cross
 * the IPC boundary.
 *
 * @packageDocumentation
 */

/** Why a command was refused, with a stable code. */
export interface ErrorData {
  code: string;
  message: string;
}

/** A refused command: nothing it asked for happened. */
export interface ErrorResult {
  ok: false;
  error: ErrorData;
}

/** The result of each command kind that succeeded. */
export type OkResult =
  | { ok: true }
  | { ok: true; isCreate: boolean }
  | { ok: true; existed: boolean }
  | { ok: true; isSwapped: boolean; current: Uint8Array | string | null }
  | { ok: true; results: OkResult[] }
  | { ok: true; id: EventId }
  | { ok: true; ids: EventId[] }
  | { ok: true; expired: string[]; skipped: string[] }
  | { ok: true; version: number };

/**
 * What the machine's own commands answer. A `jobs` or `groups` command
 * answers whatever its module returns, or an {@link ErrorResult} when the
 * module threw an `AspenError`.
 */
export type CommandResult = OkResult | ErrorResult;

/** An {@link ErrorResult} with `code` and `message`. */
export function errorResult(code: string, message: string): ErrorResult {
  return { ok: false, error: { code, message } };
}

/** Whether a result is a refusal. */
export function isErrorResult(result: unknown): result is ErrorResult {
  return (
    typeof result === 'object' &&
    result !== null &&
    (result as { ok?: unknown }).ok === false
  );
}
