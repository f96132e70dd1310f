import type { HandlerTarget, HookMode } from './dispatch-config';
import type { EventId } from '../../state/module';

/**
 * What a node's dispatcher reports, as a union with a literal `type`, so
 * the studio can draw the terminal (every attempt with its output and
 * exit) and the timeline (every delivery, drop and loop cut). These are
 * observations of one node, never replicated.
 *
 * @packageDocumentation
 */

/** Why a delivery was never attempted. */
export type DropReason =
  /** All 32 direct slots were busy (production's semaphore). */
  | 'saturated'
  /** The hook's bounded queue was full (`studio_queue_bound`). */
  | 'queue_full'
  /** The same topic and payload came within the dedup window. */
  | 'duplicate'
  /** It waited in the hook's queue when the node stopped leading. */
  | 'stopped'
  /**
   * `fidelity = "production"`: a job-mode match whose job spec production
   * builds and counts (`jobs_submitted`) but never submits (reference §7).
   */
  | 'never_submitted';

/** How an attempt's handler ended (see the runner's outcome). */
export type AttemptStatus =
  'succeeded' | 'retry' | 'failed' | 'terminal' | 'aborted';

/** Where a job went after the attempt was reported. */
export type JobSettlement =
  | 'completed'
  | 'retrying'
  | 'dead_letter'
  /** The lease was no longer this attempt's (reclaimed, expired). */
  | 'fenced'
  /** The report did not commit (leadership lost, node stopped). */
  | 'unreported';

/** Fields every per-delivery event has. */
interface DeliveryFields {
  /** The node that dispatched. */
  node: number;
  /** That node's leader term. */
  term: number;
  hook: string;
  mode: HookMode;
  eventId: EventId;
}

/** One event of a dispatcher's stream. */
export type DispatchEvent =
  | {
      type: 'leadership';
      node: number;
      term: number;
      /**
       * `leading`: the election entry applied, dispatch is on above
       * `electionIndex`; `following`: stepped down; `stopped`: the
       * runtime ended (node killed or closed).
       */
      state: 'leading' | 'following' | 'stopped';
      electionIndex: number | null;
    }
  | (DeliveryFields & {
      type: 'attempt-started';
      /** Direct: 1. Job: the lease's attempt number. */
      attempt: number;
      job: string | null;
      handlerType: HandlerTarget['type'];
      /** Node clock (ms) when it started. */
      at: number;
    })
  | (DeliveryFields & {
      type: 'attempt-output';
      attempt: number;
      stream: 'stdout' | 'stderr';
      text: string;
    })
  | (DeliveryFields & {
      type: 'attempt-finished';
      attempt: number;
      job: string | null;
      status: AttemptStatus;
      exitCode: number | null;
      message: string | null;
      durationMs: number;
      /** Node clock (ms) when it ended. */
      at: number;
    })
  | (DeliveryFields & {
      type: 'job-settled';
      attempt: number;
      job: string;
      settlement: JobSettlement;
      /** The planned retry delay, for `retrying`. */
      delayMs: number | null;
    })
  | (DeliveryFields & { type: 'dropped'; reason: DropReason })
  | {
      type: 'loop-cut';
      node: number;
      term: number;
      mode: HookMode;
      eventId: EventId;
      hooks: string[];
      depth: number;
      maxDepth: number;
    };

/** A listener of the stream. */
export type DispatchListener = (event: DispatchEvent) => void;
