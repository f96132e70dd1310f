import { isEventId } from '../event-id';

import type { DlqSelector, EnqueueCommand, LeaseCommand } from './commands';
import { JobCommandError } from './errors';
import type { BackoffPolicy, JobOrigin, Priority } from './types';
import { DEFAULT_BACKOFF, PRIORITIES } from './types';

/**
 * Shape checks for commands read back from the log. A command that fails
 * one is refused with `INVALID_ARGUMENT` on every replica alike.
 *
 * @packageDocumentation
 */

/** The fields of an enqueue after defaults, ready to become a job. */
export interface EnqueueSpec {
  queue: string;
  priority: Priority;
  payload: unknown;
  maxAttempts: number;
  backoff: BackoffPolicy;
  timeoutMs: number;
  graceMs: number;
  idempotencyKey: string | null;
  origin: JobOrigin | null;
  delayMs: number;
}

function invalid(message: string): never {
  throw new JobCommandError('INVALID_ARGUMENT', message);
}

/** A non-negative safe integer, or throws naming the field. */
export function wholeNumber(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    invalid(`${field} must be a non-negative integer`);
  }
  return value as number;
}

function optionalWhole(value: unknown, field: string, fallback: number) {
  return value === undefined ? fallback : wholeNumber(value, field);
}

/** A non-empty string, or throws naming the field. */
export function name(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    invalid(`${field} must be a non-empty string`);
  }
  return value;
}

function backoff(value: Partial<BackoffPolicy> | undefined): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...(value ?? {}) };
  const { initialMs, multiplier, maxMs, jitter } = policy;
  if (!(Number.isFinite(initialMs) && initialMs >= 0)) {
    invalid('backoff.initialMs must be a finite number >= 0');
  }
  if (!(Number.isFinite(multiplier) && multiplier >= 1)) {
    invalid('backoff.multiplier must be a finite number >= 1');
  }
  if (!(Number.isFinite(maxMs) && maxMs >= initialMs)) {
    invalid('backoff.maxMs must be a finite number >= initialMs');
  }
  if (typeof jitter !== 'boolean') {
    invalid('backoff.jitter must be a boolean');
  }
  return { initialMs, multiplier, maxMs, jitter };
}

function origin(value: JobOrigin | undefined): JobOrigin | null {
  if (value === undefined) {
    return null;
  }
  if (!isEventId(value.eventId)) {
    invalid('origin.eventId must be an {index, offset} event id');
  }
  const { index, offset } = value.eventId;
  return { eventId: { index, offset }, hook: name(value.hook, 'origin.hook') };
}

/** Checks an enqueue and fills in its defaults. */
export function enqueueSpec(
  command: EnqueueCommand,
  defaultGraceMs: number,
): EnqueueSpec {
  if (!PRIORITIES.includes(command.priority)) {
    invalid(`priority must be one of ${PRIORITIES.join(', ')}`);
  }
  const key = command.idempotencyKey;
  if (key !== undefined) {
    name(key, 'idempotencyKey');
  }
  return {
    queue:
      command.queue === undefined ? 'default' : name(command.queue, 'queue'),
    priority: command.priority,
    payload: command.payload ?? null,
    maxAttempts: wholeNumber(command.maxAttempts, 'maxAttempts'),
    backoff: backoff(command.backoff),
    timeoutMs: wholeNumber(command.timeoutMs, 'timeoutMs'),
    graceMs: optionalWhole(command.graceMs, 'graceMs', defaultGraceMs),
    idempotencyKey: key ?? null,
    origin: origin(command.origin),
    delayMs: optionalWhole(command.delayMs, 'delayMs', 0),
  };
}

/** Checks a lease command; returns the queue filter (null: any queue). */
export function leaseFilter(command: LeaseCommand): Set<string> | null {
  name(command.worker, 'worker');
  wholeNumber(command.max, 'max');
  optionalWhole(command.leaseMs, 'leaseMs', 0);
  if (command.queues === undefined) {
    return null;
  }
  if (!Array.isArray(command.queues)) {
    invalid('queues must be an array of queue names');
  }
  return new Set(command.queues.map((queue) => name(queue, 'queues[]')));
}

/** Checks a redrive or purge selector. */
export function checkSelector(selector: DlqSelector): void {
  if ('ids' in selector) {
    if (!Array.isArray(selector.ids)) {
      invalid('ids must be an array of job ids');
    }
    selector.ids.forEach((id) => name(id, 'ids[]'));
    return;
  }
  if (typeof selector.all !== 'object' || selector.all === null) {
    invalid('give either ids or all: { queue?, error? }');
  }
}
