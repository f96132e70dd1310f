import { AspenError } from '../../util/errors';

import type { JobErrorCode, JobFailure } from './commands';

/**
 * A job command that was refused. Inside `apply` it becomes a
 * {@link JobFailure} result (a refused command must not stop the log);
 * a proposer that wants to throw turns the result back with
 * {@link JobCommandError.fromFailure}.
 */
export class JobCommandError extends AspenError {
  declare readonly code: JobErrorCode;

  constructor(code: JobErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'JobCommandError';
  }

  /** The error a refused result stands for. */
  static fromFailure(failure: JobFailure): JobCommandError {
    return new JobCommandError(failure.error.code, failure.error.message);
  }

  /** This error as a result. */
  toFailure(): JobFailure {
    return { ok: false, error: { code: this.code, message: this.message } };
  }
}

/**
 * A jobs snapshot this build cannot read: unknown format version or a
 * malformed body. The way out is an export or a reset (DESIGN §3.3).
 */
export class JobsSnapshotError extends AspenError {
  constructor(message: string, options?: ErrorOptions) {
    super('UNSUPPORTED_SNAPSHOT', message, options);
    this.name = 'JobsSnapshotError';
  }
}
