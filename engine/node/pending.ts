import { AspenError } from '../util/errors';

/** A promise's settle functions, kept until the outcome is known. */
interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer?: { dispose(): void };
}

/** A proposal waiting for its entry to be applied. */
export interface PendingProposal extends Waiter<unknown> {
  term: number;
}

/** A linearizable read waiting for its read index to be applied. */
export interface PendingRead extends Waiter<void> {
  /** Known once the leader confirmed it; the read waits for applied ≥ it. */
  index?: number;
}

/** The proposal certainly did not commit. */
export function proposalDropped(index: number, why: string): AspenError {
  return new AspenError(
    'PROPOSAL_DROPPED',
    `proposal at index ${index} did not commit: ${why}`,
  );
}

/** The proposal may or may not have committed; a retry must be idempotent. */
export function outcomeUnknown(why: string): AspenError {
  return new AspenError('OUTCOME_UNKNOWN', `outcome unknown: ${why}`);
}

/** Settles a waiter once, clearing its timer. */
export function settle<T>(
  waiter: Waiter<T>,
  outcome: { value: T } | { error: Error },
): void {
  waiter.timer?.dispose();
  if ('error' in outcome) {
    waiter.reject(outcome.error);
  } else {
    waiter.resolve(outcome.value);
  }
}
