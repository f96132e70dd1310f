import type { MetricsRegistry } from './attempts';
import { matchingHooks, type DispatchConfig } from './dispatch-config';
import type { DispatchEvent } from './dispatch-events';
import type { HandlerRunner } from './handler-runner';
import { hookOfQueue } from './hook-job-spec';
import {
  DROPPED_TOPIC,
  LOOP_CUT_TOPIC,
  type DroppedPayload,
  type HookJobsModule,
  type LoopCutPayload,
} from './hook-jobs-module';
import { JobWorkers } from './job-workers';
import { LeaderProposer } from './leader-proposer';
import { TimerService } from './timer-service';
import type { RaftHost } from '../../node/raft-host';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import { CLUSTER_TOPICS } from '../../state/cluster';
import { JOBS_TOPIC_PREFIX, type JobEvent } from '../../state/jobs/events';
import type { AppliedEntry, AspenStateMachine } from '../../state/machine';
import type { StateEvent } from '../../state/module';

/**
 * One term of leadership of one node: it waits for its own election entry
 * to apply, then dispatches the entries of its term that follow, proposes
 * `reclaim` for the leases of earlier terms, runs the timer service and
 * the job workers. It ends when the node stops leading in that term.
 *
 * Job counters come from the `$jobs.*` transitions this leader applies
 * (completed, retrying, dead-lettered), so they count every attempt that
 * ended in its term, whoever ran it; latency comes from the attempts its
 * own workers ran.
 *
 * @packageDocumentation
 */

/** What a term needs from its dispatcher. */
export interface LeaderTermDeps {
  node: number;
  origin: string;
  term: number;
  worker: string;
  host: RaftHost;
  machine: AspenStateMachine;
  /** Absent when the machine has no hook jobs: job mode is then off. */
  hookJobs?: HookJobsModule;
  runner: HandlerRunner;
  metrics: MetricsRegistry;
  clock: Clock;
  clusterNow(): number;
  config(): DispatchConfig;
  jobSlots: number;
  logger: Logger;
  emit(event: DispatchEvent): void;
}

/** A node's leadership in one term. */
export class LeaderTerm {
  readonly term: number;
  private electionIndex?: number;
  private isEnded = false;
  private readonly proposer: LeaderProposer;
  private readonly timers: TimerService;
  private readonly workers?: JobWorkers;

  constructor(private readonly deps: LeaderTermDeps) {
    this.term = deps.term;
    const { host, machine } = deps;
    this.proposer = new LeaderProposer({
      host,
      term: deps.term,
      clientId: `hooks-${deps.worker}-t${deps.term}`,
      clusterNow: deps.clusterNow,
      stateTime: () => machine.clusterTime,
    });
    this.timers = new TimerService({
      deadlines: () => machine.deadlines(),
      stateTime: () => machine.clusterTime,
      clusterNow: deps.clusterNow,
      proposer: this.proposer,
      clock: deps.clock,
      logger: deps.logger,
    });
    if (deps.hookJobs !== undefined) {
      this.workers = new JobWorkers({
        ...deps,
        hookJobs: deps.hookJobs,
        slots: deps.jobSlots,
        proposer: this.proposer,
        event: (id) => machine.event(id),
      });
    }
  }

  /** Whether the election entry applied and the term has not ended. */
  get isActive(): boolean {
    return this.electionIndex !== undefined && !this.isEnded;
  }

  /** Job attempts running now. */
  get jobsInFlight(): number {
    return this.workers?.inFlight ?? 0;
  }

  /**
   * Turns dispatch on above `electionIndex`: reclaims older leases, renews
   * and watches deadlines, starts leasing.
   */
  activate(electionIndex: number): void {
    if (this.electionIndex !== undefined || this.isEnded) {
      return;
    }
    this.electionIndex = electionIndex;
    this.deps.emit({
      type: 'leadership',
      node: this.deps.node,
      term: this.term,
      state: 'leading',
      electionIndex,
    });
    void this.reclaim();
    this.timers.start();
    this.workers?.notify();
  }

  /**
   * Looks at an applied entry; true when its events are this term's to
   * dispatch (of this term, after the election entry).
   */
  observe(applied: AppliedEntry, config: DispatchConfig): boolean {
    if (this.isEnded || applied.term !== this.term) {
      return false;
    }
    if (this.electionIndex === undefined) {
      if (this.isOwnElection(applied.events)) {
        this.activate(applied.index);
      }
      return false;
    }
    if (applied.index <= this.electionIndex) {
      return false;
    }
    for (const event of applied.events) {
      this.notice(event, config);
    }
    return true;
  }

  /** Stops the workers and the timer service; reports the end. */
  end(state: 'following' | 'stopped'): void {
    if (this.isEnded) {
      return;
    }
    this.isEnded = true;
    this.workers?.stop();
    this.timers.stop();
    this.deps.emit({
      type: 'leadership',
      node: this.deps.node,
      term: this.term,
      state,
      electionIndex: this.electionIndex ?? null,
    });
  }

  private isOwnElection(events: readonly StateEvent[]): boolean {
    return events.some((event) => {
      const payload = event.payload as {
        new_leader_id?: number;
        term?: number;
      };
      return (
        event.topic === CLUSTER_TOPICS.leader &&
        payload.new_leader_id === this.deps.node &&
        payload.term === this.term
      );
    });
  }

  // leases of earlier terms end now (DESIGN §3.3); idempotent, so an
  // unknown outcome is simply proposed again
  private async reclaim(): Promise<void> {
    const cmd = { type: 'reclaim' as const, term: this.term };
    while (this.isActive && this.proposer.isLeading) {
      try {
        await this.proposer.propose({ t: 'jobs', cmd });
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'OUTCOME_UNKNOWN') {
          return;
        }
      }
    }
  }

  private notice(event: StateEvent, config: DispatchConfig): void {
    const { topic } = event;
    if (topic.startsWith(JOBS_TOPIC_PREFIX)) {
      this.noticeJob(event.payload as JobEvent);
    } else if (topic === DROPPED_TOPIC) {
      const drop = event.payload as DroppedPayload;
      this.deps.metrics.of(drop.hook).drop(drop.reason);
      this.emitDelivery(drop.hook, drop.event, drop.reason);
    } else if (topic === LOOP_CUT_TOPIC) {
      const cut = event.payload as LoopCutPayload;
      cut.hooks.forEach((hook) => (this.deps.metrics.of(hook).loopCut += 1));
      this.deps.emit({
        type: 'loop-cut',
        node: this.deps.node,
        term: this.term,
        mode: 'job',
        eventId: cut.event,
        hooks: [...cut.hooks],
        depth: cut.depth,
        maxDepth: cut.maxDepth,
      });
    } else if (topic.startsWith('hooks.kv.')) {
      // a write may have set a TTL
      this.timers.noteChange();
    }
    if (config.fidelity !== 'production') {
      for (const hook of matchingHooks(config, topic, 'job')) {
        this.deps.metrics.of(hook.name).matched += 1;
      }
    }
  }

  private noticeJob(change: JobEvent): void {
    if (change.state === 'pending') {
      this.workers?.notify();
    }
    // a pending job's due is no deadline: only delays and leases end
    const isDelayed =
      change.state === 'retrying' || change.state === 'scheduled';
    const at = isDelayed ? change.due : change.deadline;
    if (at !== null) {
      this.timers.noteDeadline(at);
    }
    const hook = hookOfQueue(change.queue);
    if (hook === undefined || change.from !== 'running') {
      return;
    }
    const metrics = this.deps.metrics.of(hook);
    if (change.state === 'completed') {
      metrics.succeeded += 1;
      return;
    }
    metrics.failed += 1;
    if (change.state === 'retrying') {
      metrics.retried += 1;
    } else if (change.state === 'dead_letter') {
      metrics.deadLettered += 1;
    }
  }

  private emitDelivery(
    hook: string,
    eventId: DroppedPayload['event'],
    reason: DroppedPayload['reason'],
  ): void {
    this.deps.emit({
      type: 'dropped',
      node: this.deps.node,
      term: this.term,
      hook,
      mode: 'job',
      eventId,
      reason,
    });
  }
}
