import { useEffect } from 'react';
import { useStore } from 'zustand';

import { jobsPoller, jobsStore } from '../../state/jobs-store';

import { DlqGroups } from './dlq-groups';
import { QueuesTable } from './queues-table';

/** Job queues by priority, leases, planned retries and the DLQ. */
export function JobsView(): React.JSX.Element {
  const list = useStore(jobsStore, (state) => state.list);
  const error = useStore(jobsStore, (state) => state.error);
  useEffect(() => jobsPoller.acquire(), []);
  const counts = list === null ? [] : Object.entries(list.jobs.counts);
  return (
    <section className="view jobs-view" aria-labelledby="view-title">
      <header className="view-head">
        <h1 id="view-title">Jobs &amp; DLQ</h1>
        <div className="chips">
          {counts.map(([state, count]) => (
            <span key={state} className={`chip state-${state}`}>
              {state} {count}
            </span>
          ))}
        </div>
        {error !== null && <span className="bad small">{error}</span>}
      </header>
      {list === null ? (
        <p className="empty">Loading the queues…</p>
      ) : (
        <>
          <QueuesTable />
          <DlqGroups />
        </>
      )}
    </section>
  );
}
