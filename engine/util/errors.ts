/**
 * Base of every expected failure the engine reports. The `code` is stable
 * and is what crosses process boundaries; class identity does not
 * (STYLE §4.7).
 */
export class AspenError extends Error {
  /** Stable, upper-snake code such as `NOT_LEADER` or `COMPACTED`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AspenError';
    this.code = code;
  }
}

/**
 * A broken invariant: a bug in the studio, never bad input. Thrown where
 * etcd's raft would panic.
 */
export class BugError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BugError';
  }
}

/** The `{code, message}` form of an error, as it crosses the contract. */
export function toErrorData(error: unknown): { code: string; message: string } {
  if (error instanceof AspenError) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof Error) {
    return { code: 'INTERNAL', message: error.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}
