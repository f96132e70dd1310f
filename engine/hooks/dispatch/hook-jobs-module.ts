import {
  DispatchConfigCache,
  matchingHooks,
  type PlannedHook,
} from './dispatch-config';
import { hookJobCommand, hookOfQueue } from './hook-job-spec';
import { dedupKey, ReplicatedDedup, type DedupImage } from './replicated-dedup';
import type { JobCommand, JobResult } from '../../state/jobs/commands';
import { JOBS_TOPIC_PREFIX, type JobEvent } from '../../state/jobs/events';
import { JobsModule } from '../../state/jobs/jobs-module';
import type {
  ApplyContext,
  EventId,
  StateEvent,
  StateModule,
} from '../../state/module';

/**
 * Apply-time job creation for job-mode hooks (DESIGN §3.4): every replica,
 * applying an event, matches it against the enabled job-mode hooks of the
 * config in force and enqueues one job per match. A committed event
 * therefore always has its jobs, whoever leads and whenever it fails over.
 *
 * The module wraps the {@link JobsModule} and takes its place in the
 * machine (the `jobs` slot): job commands pass straight through, and the
 * enqueues it makes share the entry's {@link ApplyContext}, so they are
 * part of the same entry on every replica. No change to the machine is
 * needed, and the jobs keep one state, one snapshot and one set of
 * deadlines.
 *
 * Besides the jobs it keeps, per hook, the number of jobs not yet
 * completed or dead-lettered (for `studio_queue_bound`, and so the leader
 * knows which queues have work) and the dedup windows
 * (`studio_dedup_window_ms`). Both are replicated state, in the snapshot.
 *
 * Events it writes (causation: the event concerned):
 * - {@link LOOP_CUT_TOPIC}: an event at or past `[studio] max_depth` that
 *   matched job-mode hooks; no job was made.
 * - {@link DROPPED_TOPIC}: a match that made no job, with the reason
 *   (`duplicate` or `queue_full`).
 */
export class HookJobsModule implements StateModule<
  JobCommand | JobBatchCommand,
  JobResult | JobBatchResult
> {
  /** The wrapped jobs module (read its views from here). */
  readonly jobs: JobsModule;
  private readonly configs = new DispatchConfigCache();
  private readonly dedup = new ReplicatedDedup();
  private open = new Map<string, number>();

  /** @param jobs - the jobs module to wrap; a default one when omitted */
  constructor(jobs: JobsModule = new JobsModule()) {
    this.jobs = jobs;
  }

  /**
   * Applies a job command (the machine's `{t: 'jobs'}`), or a
   * {@link JobBatchCommand} of them, one after another in this entry.
   */
  apply(
    command: JobCommand | JobBatchCommand,
    ctx: ApplyContext,
  ): JobResult | JobBatchResult {
    if (command.type !== 'batch') {
      return this.jobs.apply(command, ctx);
    }
    const commands = (command as Partial<JobBatchCommand>).commands;
    // checked whole before any runs, so a bad one cannot leave half a batch
    const isValid =
      Array.isArray(commands) &&
      commands.length <= MAX_JOB_BATCH &&
      commands.every((one) => typeof one === 'object' && one !== null);
    if (!isValid) {
      const why = `a batch holds up to ${MAX_JOB_BATCH} job commands (objects)`;
      return { ok: false, error: { code: 'INVALID_ARGUMENT', message: why } };
    }
    const results = commands.map((one) =>
      (one as { type?: unknown }).type === 'batch'
        ? invalidNesting()
        : this.jobs.apply(one, ctx),
    );
    return { ok: true, results };
  }

  /** The jobs module's deadlines. */
  deadlines(): { due: number; id: string }[] {
    return this.jobs.deadlines();
  }

  /** Expires the jobs module's deadlines. */
  expire(ids: string[], ctx: ApplyContext): string[] {
    return this.jobs.expire(ids, ctx);
  }

  /** Tracks job transitions, then turns matching events into jobs. */
  observe(event: StateEvent, ctx: ApplyContext): void {
    if (event.topic.startsWith(JOBS_TOPIC_PREFIX)) {
      this.track(event.payload as JobEvent);
    }
    const config = this.configs.get(ctx.hooksConfig());
    if (config.fidelity === 'production') {
      // production builds job specs and never submits them (reference §7)
      return;
    }
    const hooks = matchingHooks(config, event.topic, 'job');
    if (hooks.length === 0) {
      return;
    }
    if (event.depth >= config.maxDepth) {
      // a cut is never itself cut again, or a `$studio.>` hook would loop
      if (event.topic !== LOOP_CUT_TOPIC) {
        const cut: LoopCutPayload = {
          event: copyId(event.id),
          depth: event.depth,
          maxDepth: config.maxDepth,
          hooks: hooks.map((hook) => hook.name),
          mode: 'job',
        };
        ctx.emit(LOOP_CUT_TOPIC, cut, { causation: event.id });
      }
      return;
    }
    for (const hook of hooks) {
      this.createJob(hook, event, ctx);
    }
  }

  /** Jobs of `hook` not yet completed or dead-lettered. */
  openJobs(hook: string): number {
    return this.open.get(hook) ?? 0;
  }

  /** Hooks that have open jobs, sorted by name. */
  hooksWithOpenJobs(): string[] {
    return [...this.open.keys()].sort();
  }

  /** Plain data: the jobs' snapshot, open counts and dedup windows. */
  snapshot(): unknown {
    const image: HookJobsImage = {
      jobs: this.jobs.snapshot(),
      open: [...this.open].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      dedup: this.dedup.snapshot(),
    };
    return image;
  }

  /** Replaces the whole state; `undefined` means the initial state. */
  restore(data: unknown): void {
    const image = data as HookJobsImage | undefined;
    this.jobs.restore(image?.jobs);
    this.open = new Map(image?.open ?? []);
    this.dedup.restore(image?.dedup);
  }

  private createJob(
    hook: PlannedHook,
    event: StateEvent,
    ctx: ApplyContext,
  ): void {
    const window = hook.dedupWindowMs;
    if (
      window !== undefined &&
      window > 0 &&
      !this.dedup.admit(hook.name, dedupKey(event), ctx.now, window)
    ) {
      this.drop(hook, event, 'duplicate', ctx);
      return;
    }
    const bound = hook.queueBound;
    if (bound !== undefined && this.openJobs(hook.name) >= bound) {
      this.drop(hook, event, 'queue_full', ctx);
      return;
    }
    const result = this.jobs.apply(hookJobCommand(hook, event.id), ctx);
    if (result.ok) {
      this.count(hook.name, 1);
    }
  }

  private drop(
    hook: PlannedHook,
    event: StateEvent,
    reason: DroppedPayload['reason'],
    ctx: ApplyContext,
  ): void {
    const payload: DroppedPayload = {
      hook: hook.name,
      event: copyId(event.id),
      reason,
      mode: 'job',
    };
    ctx.emit(DROPPED_TOPIC, payload, { causation: event.id });
  }

  // a hook job leaves the count when it completes or is dead-lettered, and
  // comes back when it is redriven; enqueues are counted where they happen
  private track(change: JobEvent): void {
    const hook = hookOfQueue(change.queue);
    if (hook === undefined) {
      return;
    }
    if (change.state === 'completed' || change.state === 'dead_letter') {
      this.count(hook, -1);
    } else if (change.state === 'pending' && change.from === 'dead_letter') {
      this.count(hook, 1);
    }
  }

  private count(hook: string, delta: number): void {
    const next = (this.open.get(hook) ?? 0) + delta;
    if (next > 0) {
      this.open.set(hook, next);
    } else {
      this.open.delete(hook);
    }
  }
}

/** Most commands in one {@link JobBatchCommand}. */
export const MAX_JOB_BATCH = 1000;

/**
 * Several job commands in one entry (the workers' acks, naks and
 * heartbeats), applied in order as if proposed one by one; each gets its
 * own result, and a refused one does not stop the rest.
 */
export interface JobBatchCommand {
  type: 'batch';
  commands: JobCommand[];
}

/** The results of a {@link JobBatchCommand}, in order. */
export interface JobBatchResult {
  ok: true;
  results: JobResult[];
}

function invalidNesting(): JobResult {
  const message = 'a batch may not hold another batch';
  return { ok: false, error: { code: 'INVALID_ARGUMENT', message } };
}

/** Topic of a loop cut at apply time (job mode) and by the dispatcher. */
export const LOOP_CUT_TOPIC = '$studio.hooks.loop_cut';

/** Topic of a job-mode match that made no job. */
export const DROPPED_TOPIC = '$studio.hooks.dropped';

/** Payload of a {@link LOOP_CUT_TOPIC} event. */
export interface LoopCutPayload {
  event: EventId;
  depth: number;
  maxDepth: number;
  /** The hooks that were not run. */
  hooks: string[];
  mode: 'job';
}

/** Payload of a {@link DROPPED_TOPIC} event. */
export interface DroppedPayload {
  hook: string;
  event: EventId;
  reason: 'duplicate' | 'queue_full';
  mode: 'job';
}

/** The module's part of the machine snapshot. */
interface HookJobsImage {
  jobs: unknown;
  open: [string, number][];
  dedup: DedupImage[];
}

function copyId(id: EventId): EventId {
  return { index: id.index, offset: id.offset };
}
