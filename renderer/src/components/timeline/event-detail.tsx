import { useEffect, useState } from 'react';
import { useStore } from 'zustand';

import type { TimelineEvent } from '../../../../preload/contract';
import { invoke } from '../../api';
import { deliveriesOf } from '../../lib/deliveries';
import { appStore } from '../../state/app-store';
import { editorStore } from '../../state/editor-store';
import { fireStore } from '../../state/fire-store';
import { jobsStore } from '../../state/jobs-store';
import { terminalStore } from '../../state/terminal-store';
import { rowById, timelineStore } from '../../state/timeline-store';

import { revealAttempt } from '../terminal/terminal-reveal';

function useFullEvent(
  event: TimelineEvent | undefined,
): TimelineEvent | undefined {
  const [full, setFull] = useState<TimelineEvent | undefined>(undefined);
  useEffect(() => {
    setFull(undefined);
    if (event?.payloadBytes === undefined) {
      return;
    }
    let isCurrent = true;
    void invoke('events:range', { from: event.id, limit: 1 }).then((r) => {
      if (isCurrent) {
        setFull(r.events[0]);
      }
    });
    return () => {
      isCurrent = false;
    };
  }, [event]);
  return full ?? event;
}

/** The selected row: payload, causation and every delivery. */
export function EventDetail(): React.JSX.Element | null {
  const selectedId = useStore(timelineStore, (state) => state.selectedId);
  useStore(terminalStore, (state) => state.version);
  useStore(jobsStore, (state) => state.updatedAt);
  const row = selectedId === null ? undefined : rowById(selectedId);
  const event = useFullEvent(row?.kind === 'event' ? row.event : undefined);
  if (row === undefined) {
    return null;
  }
  const close = () => timelineStore.getState().select(null);
  if (row.kind === 'observation') {
    return (
      <aside
        className="detail"
        aria-label="Selected observation"
        data-testid="event-detail"
      >
        <div className="detail-head">
          <h2>{row.obs.text}</h2>
          <button
            type="button"
            className="ghost"
            onClick={close}
            aria-label="Close detail"
          >
            ×
          </button>
        </div>
        <p className="muted">
          Seen when the cluster had applied index {row.index}. Faults, kills and
          restarts are observations: no log entry carries them.
        </p>
      </aside>
    );
  }
  if (event === undefined) {
    return null;
  }
  const { attempts, jobs } = deliveriesOf(event.id);
  return (
    <aside
      className="detail"
      aria-label="Selected event"
      data-testid="event-detail"
    >
      <div className="detail-head">
        <h2 className="mono">{event.id}</h2>
        <button
          type="button"
          className="ghost"
          onClick={close}
          aria-label="Close detail"
        >
          ×
        </button>
      </div>
      <dl className="facts">
        <dt>Topic</dt>
        <dd className="mono">{event.topic}</dd>
        <dt>Time</dt>
        <dd>
          {event.time > 0
            ? new Date(event.time).toISOString()
            : 'not stamped (entry before any cluster time)'}
        </dd>
        <dt>Depth</dt>
        <dd>{event.depth}</dd>
        {event.causation !== undefined && (
          <>
            <dt>Caused by</dt>
            <dd>
              <button
                type="button"
                className="linkish"
                onClick={() =>
                  timelineStore.getState().reveal(event.causation!)
                }
              >
                {event.causation}
              </button>
            </dd>
          </>
        )}
      </dl>
      <h3 className="sub-title">Deliveries</h3>
      {attempts.length === 0 && jobs.length === 0 ? (
        <p className="muted small">
          No delivery seen for this event (shell attempts appear as they run;
          job-mode hooks as jobs).
        </p>
      ) : (
        <ul className="deliveries" data-testid="event-deliveries">
          {attempts.map((a) => (
            <li
              key={a.key}
              className={
                a.exit === null ? 'running' : a.exit.isOk ? 'good' : 'bad'
              }
            >
              <button
                type="button"
                className="linkish"
                onClick={() => revealAttempt(a.key)}
                data-testid="delivery-attempt"
              >
                {a.hook} · attempt {a.attempt} · n{a.node}
              </button>{' '}
              {a.exit === null
                ? 'running…'
                : `${a.exit.code === null ? (a.exit.isOk ? 'ok' : 'failed') : `exit ${a.exit.code}`} · ${Math.round(a.exit.durationMs ?? 0)} ms`}
            </li>
          ))}
          {jobs.map((job) => (
            <li
              key={job.id}
              className={
                job.state === 'dead_letter'
                  ? 'bad'
                  : job.state === 'completed'
                    ? 'good'
                    : 'running'
              }
            >
              {job.origin?.hook ?? job.queue} · job {job.id} · {job.state} ·{' '}
              {job.attempts}/{job.maxAttempts} attempts
              {job.lastError !== null && (
                <div className="bad small">{job.lastError}</div>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3 className="sub-title">Payload</h3>
      <pre className="code-block payload" data-testid="event-payload">
        {JSON.stringify(event.payload, null, 2)}
      </pre>
      {event.headers !== undefined && (
        <pre className="code-block small">
          {JSON.stringify(event.headers, null, 2)}
        </pre>
      )}
      <div className="button-row">
        <button
          type="button"
          onClick={() => {
            fireStore.getState().fill(event.topic, event.payload);
            editorStore.getState().setTab('fire');
            appStore.getState().setView('hooks');
          }}
        >
          Edit &amp; fire again
        </button>
      </div>
    </aside>
  );
}
