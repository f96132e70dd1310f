import type { JobSummary } from '../../../engine/state/jobs/queries';
import type { JobsListResponse } from '../../../preload/contract';
import { attemptsOfEvent, type Attempt } from '../state/terminal-store';

/** What happened to one event's deliveries, as far as the UI knows. */
export interface Deliveries {
  attempts: readonly Attempt[];
  /** Jobs that job-mode hooks made from the event. */
  jobs: readonly JobSummary[];
}

let jobsByEvent = new Map<string, JobSummary[]>();
let indexedList: JobsListResponse | null = null;

/** Re-indexes the jobs by the event they came from. */
export function indexJobs(list: JobsListResponse | null): void {
  if (list === indexedList) {
    return;
  }
  indexedList = list;
  jobsByEvent = new Map();
  if (list === null) {
    return;
  }
  const add = (job: JobSummary) => {
    if (job.origin === null) {
      return;
    }
    const id = `${job.origin.eventId.index}.${job.origin.eventId.offset}`;
    const jobs = jobsByEvent.get(id) ?? [];
    jobs.push(job);
    jobsByEvent.set(id, jobs);
  };
  for (const priority of list.jobs.priorities) {
    priority.ready.forEach(add);
    priority.scheduled.forEach(add);
    priority.leased.forEach(add);
  }
  list.dlq.forEach((group) => group.entries.forEach(add));
}

/** The deliveries of one event. */
export function deliveriesOf(eventId: string): Deliveries {
  return {
    attempts: attemptsOfEvent(eventId),
    jobs: jobsByEvent.get(eventId) ?? [],
  };
}

/** A one-word verdict over an event's deliveries. */
export type DeliveryVerdict = 'none' | 'running' | 'ok' | 'failed';

/** Summarises deliveries: failed beats running beats ok. */
export function deliveryVerdict(deliveries: Deliveries): DeliveryVerdict {
  const { attempts, jobs } = deliveries;
  if (attempts.length === 0 && jobs.length === 0) {
    return 'none';
  }
  const isFailed =
    jobs.some((job) => job.state === 'dead_letter') ||
    attempts.some((a) => a.exit !== null && !a.exit.isOk);
  if (isFailed) {
    return 'failed';
  }
  const isRunning =
    attempts.some((a) => a.exit === null) ||
    jobs.some((job) => job.state !== 'completed');
  return isRunning ? 'running' : 'ok';
}
