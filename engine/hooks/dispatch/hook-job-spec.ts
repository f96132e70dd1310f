import type { HandlerDefinition, PlannedHook } from './dispatch-config';
import type { EnqueueCommand } from '../../state/jobs/commands';
import type { EventId } from '../../state/module';

/**
 * What a job-mode hook's job holds and how it is enqueued: production's
 * hook job shape (reference §8.1) with the studio's event id in place of
 * the inline event, which the job pins in the log instead.
 *
 * @packageDocumentation
 */

/** Every hook job's queue starts with this; the hook name follows. */
export const HOOK_QUEUE_PREFIX = 'hook:';

/** Production's retry policy for hook jobs (reference §8.1, §8.3). */
export const HOOK_BACKOFF = {
  initialMs: 100,
  multiplier: 2,
  maxMs: 10_000,
} as const;

/** The payload of a hook job. */
export interface HookJobPayload {
  /** The event the hook matched (pinned while the job has work left). */
  eventId: EventId;
  /** The hook (handler name). */
  hook: string;
  /** The handler as it was defined when the job was created. */
  handler: HandlerDefinition;
}

/** The queue of a hook's jobs. */
export function hookQueue(hook: string): string {
  return HOOK_QUEUE_PREFIX + hook;
}

/** The hook a queue belongs to, or undefined for a queue of other jobs. */
export function hookOfQueue(queue: string): string | undefined {
  return queue.startsWith(HOOK_QUEUE_PREFIX)
    ? queue.slice(HOOK_QUEUE_PREFIX.length)
    : undefined;
}

/**
 * The enqueue a hook makes for an event. `maxAttempts` is `retry_count`
 * counting the first attempt, at least 1; the lease outlasts the handler
 * timeout by the kill grace (shell only: the other runners stop at once)
 * plus the module's margin.
 */
export function hookJobCommand(
  hook: PlannedHook,
  eventId: EventId,
): EnqueueCommand {
  const handler = hook.definition;
  const payload: HookJobPayload = {
    eventId: { index: eventId.index, offset: eventId.offset },
    hook: hook.name,
    handler: { ...handler },
  };
  return {
    type: 'enqueue',
    queue: hookQueue(hook.name),
    priority: hook.priority,
    payload,
    maxAttempts: Math.max(1, hook.retryCount),
    backoff: { ...HOOK_BACKOFF, jitter: hook.hasJitter },
    timeoutMs: handler.timeoutMs,
    graceMs: handler.type === 'shell' ? handler.graceMs : 0,
    origin: { eventId: payload.eventId, hook: hook.name },
  };
}

/** Whether a job payload is a hook job's, as far as shape goes. */
export function isHookJobPayload(value: unknown): value is HookJobPayload {
  const payload = value as Partial<HookJobPayload> | null;
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof payload.hook === 'string' &&
    typeof payload.eventId === 'object' &&
    typeof payload.handler === 'object' &&
    payload.handler !== null
  );
}
