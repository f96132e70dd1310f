import { AspenError } from '../../engine/util/errors';

/** Stable codes of the studio service's own failures. */
export type StudioErrorCode =
  /** A request names a node the cluster does not have. */
  | 'UNKNOWN_NODE'
  /** Another process has the workspace open. */
  | 'WORKSPACE_LOCKED'
  /** The workspace folder cannot be used. */
  | 'BAD_WORKSPACE'
  /** A payload given as JSON text does not parse. */
  | 'INVALID_PAYLOAD'
  /** Every node is killed: there is no state to read. */
  | 'NO_NODE_RUNNING'
  /** A request needs a running node that is killed. */
  | 'NODE_NOT_RUNNING'
  /** A request needs a hooks config and none was applied. */
  | 'NO_CONFIG'
  /** The service is closed or not yet open. */
  | 'NOT_OPEN'
  /** No workspace is open in the app. */
  | 'NO_WORKSPACE'
  /** The request needs the workspace closed first (a reset). */
  | 'WORKSPACE_OPEN'
  /** A workspace is created only in a missing or empty folder. */
  | 'WORKSPACE_NOT_EMPTY'
  /** A studio file was written in a format this build does not know. */
  | 'UNSUPPORTED_FORMAT'
  /** The request needs something this carrier cannot do. */
  | 'UNAVAILABLE';

/**
 * A failure of the studio service with a stable code; the code is what
 * crosses the contract (STYLE §4.7).
 */
export class StudioError extends AspenError {
  constructor(code: StudioErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'StudioError';
  }
}
