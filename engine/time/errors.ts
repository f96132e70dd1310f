import { AspenError } from '../util/errors';

/** A clock scale or speed that is not a positive number in range. */
export class InvalidTimeScaleError extends AspenError {
  constructor(reason: string) {
    super('INVALID_TIME_SCALE', reason);
    this.name = 'InvalidTimeScaleError';
  }
}

/**
 * A step or a jump in time was asked of a running clock. Only a paused
 * clock may be moved by hand; a running one follows real time.
 */
export class NotPausedError extends AspenError {
  constructor(what: string) {
    super('NOT_PAUSED', `${what} needs the clock paused`);
    this.name = 'NotPausedError';
  }
}
