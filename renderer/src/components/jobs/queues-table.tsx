import { useStore } from 'zustand';

import { jobsStore } from '../../state/jobs-store';

import { EventLink, originId } from './event-link';
import { duration, relative } from './job-format';

/** Every waiting, scheduled and leased job, by priority. */
export function QueuesTable(): React.JSX.Element | null {
  const list = useStore(jobsStore, (state) => state.list);
  useStore(jobsStore, (state) => state.updatedAt);
  if (list === null) {
    return null;
  }
  const rows = list.jobs.priorities.flatMap((p) => [
    ...p.leased.map((job) => ({
      priority: p.priority,
      kind: 'leased' as const,
      job,
      detail: `lease attempt ${job.lease.attempt} · term ${job.lease.term} · ${job.lease.worker} · deadline ${relative(job.lease.deadline)}`,
    })),
    ...p.ready.map((job) => ({
      priority: p.priority,
      kind: 'ready' as const,
      job,
      detail: `ready since ${relative(job.due)}`,
    })),
    ...p.scheduled.map((job) => ({
      priority: p.priority,
      kind: 'scheduled' as const,
      job,
      detail: `attempt ${job.nextAttempt} ${relative(job.due)}${job.delayMs === null ? ' (initial delay)' : ` · back-off ${duration(job.delayMs)}`}`,
    })),
  ]);
  return (
    <section className="card" aria-labelledby="queues-title">
      <h2 id="queues-title" className="card-title">
        Queues
      </h2>
      <div className="priority-strip">
        {list.jobs.priorities.map((p) => (
          <div
            key={p.priority}
            className={`prio prio-${p.priority}`}
            data-testid={`prio-${p.priority}`}
          >
            <span className="prio-name">{p.priority}</span>
            <span>{p.ready.length} ready</span>
            <span>{p.leased.length} leased</span>
            <span>{p.scheduled.length} scheduled</span>
          </div>
        ))}
      </div>
      {rows.length === 0 ? (
        <p className="empty">
          No job is waiting or running. Job-mode hooks turn matching events into
          jobs here; retries wait here with their planned delay.
        </p>
      ) : (
        <table className="grid" data-testid="queues-table">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">State</th>
              <th scope="col">Job</th>
              <th scope="col">Hook</th>
              <th scope="col">Event</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">Lease / next attempt</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ priority, kind, job, detail }) => {
              const id = originId(job.origin);
              return (
                <tr key={job.id} data-testid="queue-row" data-state={job.state}>
                  <td>
                    <span className={`chip prio-${priority}`}>{priority}</span>
                  </td>
                  <td>
                    <span className={`chip state-${kind}`}>{job.state}</span>
                  </td>
                  <td className="mono">{job.id}</td>
                  <td>{job.origin?.hook ?? job.queue}</td>
                  <td>{id === null ? '–' : <EventLink id={id} />}</td>
                  <td className="num">
                    {job.attempts}/{job.maxAttempts}
                  </td>
                  <td data-testid="job-detail">{detail}</td>
                  <td className="bad small">{job.lastError ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
