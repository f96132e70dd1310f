import { AspenError } from '../../util/errors';

import type { GroupErrorCode, GroupFailure } from './commands';

/**
 * A group command that was refused. Inside `apply` it becomes a
 * {@link GroupFailure} result; a proposer that wants to throw turns the
 * result back with {@link GroupCommandError.fromFailure}.
 */
export class GroupCommandError extends AspenError {
  declare readonly code: GroupErrorCode;

  constructor(code: GroupErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'GroupCommandError';
  }

  /** The error a refused result stands for. */
  static fromFailure(failure: GroupFailure): GroupCommandError {
    return new GroupCommandError(failure.error.code, failure.error.message);
  }

  /** This error as a result. */
  toFailure(): GroupFailure {
    return { ok: false, error: { code: this.code, message: this.message } };
  }
}

/**
 * A groups snapshot this build cannot read: unknown format version or a
 * malformed body. The way out is an export or a reset (DESIGN §3.3).
 */
export class GroupsSnapshotError extends AspenError {
  constructor(message: string, options?: ErrorOptions) {
    super('UNSUPPORTED_SNAPSHOT', message, options);
    this.name = 'GroupsSnapshotError';
  }
}
