import { AspenError } from '../util/errors';

/**
 * Bytes from the wire that do not decode to what the protocol expects. The
 * connection that carried them is closed; nothing half-decoded escapes.
 */
export class BadFrameError extends AspenError {
  constructor(reason: string, options?: ErrorOptions) {
    super('BAD_FRAME', reason, options);
    this.name = 'BadFrameError';
  }
}

/**
 * A frame header announced a body larger than the receiver accepts. Raised
 * as soon as the header is read, before any of the body is buffered.
 */
export class FrameTooLargeError extends AspenError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      'FRAME_TOO_LARGE',
      `frame of ${size} bytes exceeds the limit of ${limit}`,
    );
    this.name = 'FrameTooLargeError';
  }
}

/** A fault setting that makes no sense (a probability outside [0, 1]…). */
export class InvalidFaultError extends AspenError {
  constructor(reason: string) {
    super('INVALID_FAULT', reason);
    this.name = 'InvalidFaultError';
  }
}
