import { AspenError } from '../util/errors';

/**
 * A history the checker cannot read: a line that does not parse, a
 * completion without a call, or an operation that returns before it is
 * called. The message says where (`line N: why` for text histories).
 */
export class BadHistoryError extends AspenError {
  /** The 1-based line of the history text, when it came from one. */
  readonly line: number | undefined;
  /** What was wrong, without the line prefix of `message`. */
  readonly reason: string;

  constructor(message: string, line?: number, options?: ErrorOptions) {
    super(
      'BAD_HISTORY',
      line === undefined ? message : `line ${line}: ${message}`,
      options,
    );
    this.name = 'BadHistoryError';
    this.line = line;
    this.reason = message;
  }
}
