import { runAttempt, type AttemptDeps, type MetricsRegistry } from './attempts';
import type { DispatchConfig } from './dispatch-config';
import type { JobSettlement } from './dispatch-events';
import { isHookJobPayload, type HookJobPayload } from './hook-job-spec';
import type { HookJobsModule } from './hook-jobs-module';
import { LeaseBuckets } from './lease-plan';
import type { LeaderProposer } from './leader-proposer';
import {
  ReportBatcher,
  reportCommand,
  reportOf,
  type Report,
} from './report-batcher';
import type { Disposable } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { GrantedLease, JobResults } from '../../state/jobs/commands';
import type { EventId, StateEvent } from '../../state/module';
import { isErrorResult } from '../../state/results';

/**
 * The leader's job workers: they lease hook jobs (one lease command for
 * as many free slots as there are, see `./lease-plan`), run each attempt,
 * and report it with the lease's (attempt, term): ack on success, nak to
 * retry after the back-off or the handler's own delay, term when the
 * handler rejects the job. A long attempt sends heartbeats, so its lease
 * never runs out while the handler is alive; the handler's in-progress
 * calls send one too.
 *
 * @packageDocumentation
 */

/** Job attempts one leader runs at once. */
export const DEFAULT_JOB_SLOTS = 64;

/** Lease commands one leader has in flight at once. */
export const MAX_LEASES_IN_FLIGHT = 2;

/** What the workers need from their dispatcher. */
export interface JobWorkersDeps extends AttemptDeps {
  term: number;
  /** This worker's id in leases (node and incarnation). */
  worker: string;
  slots: number;
  /** Latency is recorded here; counters follow the `$jobs.*` events. */
  metrics: MetricsRegistry;
  proposer: LeaderProposer;
  hookJobs: HookJobsModule;
  /** A retained or pinned event of the node's state. */
  event(id: EventId): StateEvent | undefined;
  config(): DispatchConfig;
  clusterNow(): number;
  logger: Logger;
}

interface Running {
  hook: string;
  controller: AbortController;
  heartbeat?: Disposable;
}

/** The job workers of one leader term. */
export class JobWorkers {
  private readonly running = new Map<string, Running>();
  private readonly buckets = new LeaseBuckets();
  private readonly reports: ReportBatcher;
  // lease commands in flight, and the slots they may fill
  private leasing = 0;
  private reserved = 0;
  private isStopped = false;
  private hasWork = true;
  private wakeups = 0;
  private retryTimer?: Disposable;

  constructor(private readonly deps: JobWorkersDeps) {
    this.reports = new ReportBatcher(deps.proposer);
  }

  /** Jobs being run now. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Something may have become leasable (a `$jobs.pending` event). */
  notify(): void {
    this.wakeups += 1;
    this.hasWork = true;
    void this.pump();
  }

  /** Aborts every attempt; nothing more is leased or reported. */
  stop(): void {
    // TODO(hooks): an in-process attempt cut short here runs on in its
    // worker until it ends or times out (the pool cannot cancel one
    // attempt); its result is dropped, and killing the node ends it
    this.isStopped = true;
    this.retryTimer?.dispose();
    for (const running of this.running.values()) {
      running.heartbeat?.dispose();
      running.controller.abort();
    }
  }

  private async pump(): Promise<void> {
    const { slots } = this.deps;
    const free = slots - this.running.size - this.reserved;
    // a second lease may overlap the first, so slots freed meanwhile need
    // not wait a round trip; smaller ones would only add entries
    const isWorth = this.leasing === 0 || free >= slots / 4;
    if (
      this.isStopped ||
      this.leasing >= MAX_LEASES_IN_FLIGHT ||
      !this.hasWork ||
      free <= 0 ||
      !isWorth
    ) {
      return;
    }
    const { hookJobs, clusterNow } = this.deps;
    const plan = this.buckets.plan(
      free,
      hookJobs.hooksWithOpenJobs(),
      this.deps.config(),
      {
        worker: this.deps.worker,
        now: clusterNow(),
        waitingOf: (hook) => hookJobs.openJobs(hook) - this.runningOf(hook),
      },
    );
    if (plan.retryInMs !== undefined && this.retryTimer === undefined) {
      this.retryTimer = this.deps.clock.setTimeout(() => {
        this.retryTimer = undefined;
        this.notify();
      }, plan.retryInMs);
    }
    if (plan.leases.length === 0) {
      this.hasWork = false;
      return;
    }

    // slots stay reserved until their lease command answers
    let reserved = plan.leases.reduce((sum, lease) => sum + lease.max, 0);
    this.leasing += 1;
    this.reserved += reserved;
    const wakeups = this.wakeups;
    let isFull = false;
    try {
      for (const command of plan.leases) {
        const result = await this.deps.proposer.proposeOnce({
          t: 'jobs',
          cmd: command,
        });
        this.reserved -= command.max;
        reserved -= command.max;
        if (isErrorResult(result) || this.isStopped) {
          continue;
        }
        const { leases } = result as JobResults['lease'];
        isFull ||= leases.length === command.max;
        for (const lease of leases) {
          this.start(lease);
        }
      }
    } catch (error) {
      this.deps.logger.debug('lease failed', { error: String(error) });
    } finally {
      this.leasing -= 1;
      this.reserved -= reserved;
    }
    // a short lease found every ready job, unless more came meanwhile
    if (!isFull && wakeups === this.wakeups) {
      this.hasWork = false;
    }
    void this.pump();
  }

  private runningOf(hook: string): number {
    let count = 0;
    for (const running of this.running.values()) {
      count += running.hook === hook ? 1 : 0;
    }
    return count;
  }

  private start(lease: GrantedLease): void {
    const payload = lease.payload;
    if (!isHookJobPayload(payload)) {
      void this.report(lease, null, { cmd: 'term', error: 'not a hook job' });
      return;
    }
    const event = this.deps.event(payload.eventId);
    if (event === undefined) {
      const { index, offset } = payload.eventId;
      const error = `origin event ${index}.${offset} is no longer retained`;
      void this.report(lease, payload, { cmd: 'term', error });
      return;
    }
    const running: Running = {
      hook: payload.hook,
      controller: new AbortController(),
    };
    this.running.set(lease.job, running);
    this.keepAlive(lease, running);
    void this.attempt(lease, payload, event, running);
  }

  // heartbeats at a third of the lease, so an attempt queued behind others
  // in its worker pool, or reporting progress, keeps its lease
  private keepAlive(lease: GrantedLease, running: Running): void {
    const every = Math.max(100, Math.floor(lease.leaseMs / 3));
    running.heartbeat = this.deps.clock.setTimeout(() => {
      void this.heartbeat(lease);
      this.keepAlive(lease, running);
    }, every);
  }

  private async heartbeat(lease: GrantedLease): Promise<void> {
    const { job, attempt, term } = lease;
    try {
      await this.reports.send({ type: 'heartbeat', job, attempt, term });
    } catch {
      // a lost heartbeat is retried by the next one, or the lease is gone
    }
  }

  private async attempt(
    lease: GrantedLease,
    payload: HookJobPayload,
    event: StateEvent,
    running: Running,
  ): Promise<void> {
    let lastProgress = 0;
    const config = this.deps.config();
    const finished = await runAttempt(this.deps, {
      term: this.deps.term,
      mode: 'job',
      hook: payload.hook,
      handler: payload.handler,
      event,
      attempt: lease.attempt,
      job: lease.job,
      env: config.env,
      signal: running.controller.signal,
      onProgress: () => {
        const now = this.deps.clock.now();
        if (now - lastProgress >= lease.leaseMs / 4) {
          lastProgress = now;
          void this.heartbeat(lease);
        }
      },
    });
    running.heartbeat?.dispose();
    this.running.delete(lease.job);
    void this.pump();

    const { outcome, durationMs } = finished;
    if (outcome.status !== 'aborted') {
      this.deps.metrics.of(payload.hook).recordLatency(durationMs);
    }
    await this.report(lease, payload, reportOf(outcome));
  }

  private async report(
    lease: GrantedLease,
    payload: HookJobPayload | null,
    report: Report | null,
  ): Promise<void> {
    const hook = payload?.hook ?? lease.origin?.hook ?? lease.queue;
    let settlement: JobSettlement = 'unreported';
    let delayMs: number | null = null;
    if (report !== null && !this.isStopped) {
      try {
        const result = await this.reports.send(reportCommand(lease, report));
        if (isErrorResult(result)) {
          settlement = result.error.code === 'FENCED' ? 'fenced' : settlement;
        } else {
          const state = (result as { state: JobSettlement }).state;
          settlement = state;
          delayMs = (result as { delayMs?: number | null }).delayMs ?? null;
        }
      } catch {
        settlement = 'unreported';
      }
    }

    const eventId = payload?.eventId ?? lease.origin?.eventId;
    if (eventId !== undefined) {
      this.deps.emit({
        type: 'job-settled',
        node: this.deps.node,
        term: this.deps.term,
        hook,
        mode: 'job',
        eventId,
        attempt: lease.attempt,
        job: lease.job,
        settlement,
        delayMs,
      });
    }
  }
}
