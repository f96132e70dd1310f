import { useState } from 'react';
import { useStore } from 'zustand';

import { jobsStore } from '../../state/jobs-store';

import { EventLink, originId } from './event-link';
import { relative } from './job-format';

/** A purge button that asks once more before it deletes. */
function PurgeButton(props: {
  label: string;
  onPurge(): void;
}): React.JSX.Element {
  const [isArmed, setArmed] = useState(false);
  return (
    <button
      type="button"
      className="danger small"
      onClick={() => {
        if (isArmed) {
          props.onPurge();
        }
        setArmed(!isArmed);
      }}
      onBlur={() => setArmed(false)}
    >
      {isArmed ? 'Confirm purge' : props.label}
    </button>
  );
}

/** The DLQ grouped by final error, with redrive and purge. */
export function DlqGroups(): React.JSX.Element | null {
  const list = useStore(jobsStore, (state) => state.list);
  const selected = useStore(jobsStore, (state) => state.selected);
  if (list === null) {
    return null;
  }
  const { redrive, purge, toggle } = jobsStore.getState();
  const total = list.dlq.reduce((sum, g) => sum + g.count, 0);
  const ids = [...selected];
  return (
    <section className="card" aria-labelledby="dlq-title" data-testid="dlq">
      <h2 id="dlq-title" className="card-title">
        Dead-letter queue{' '}
        <span className="muted">
          {total} jobs · {list.dlq.length} errors
        </span>
      </h2>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={ids.length === 0}
          onClick={() => void redrive({ ids })}
          data-testid="redrive-selected"
        >
          Redrive selected ({ids.length}) <kbd>r</kbd>
        </button>
        {ids.length > 0 && (
          <PurgeButton
            label={`Purge selected (${ids.length})`}
            onPurge={() => void purge({ ids })}
          />
        )}
      </div>
      {list.dlq.length === 0 && (
        <p className="empty">
          The DLQ is empty. Jobs land here after their last attempt fails;
          redrive them once the handler is fixed.
        </p>
      )}
      {list.dlq.map((group) => (
        <div key={group.error} className="dlq-group" data-testid="dlq-group">
          <div className="dlq-head">
            <span className="bad mono dlq-error">{group.error}</span>
            <span className="muted">{group.count}</span>
            <div className="spacer" />
            <button
              type="button"
              className="small"
              onClick={() => void redrive({ all: { error: group.error } })}
              data-testid="redrive-group"
            >
              Redrive all {group.count}
            </button>
            <PurgeButton
              label="Purge group"
              onPurge={() => void purge({ all: { error: group.error } })}
            />
          </div>
          <table className="grid">
            <tbody>
              {group.entries.map((entry) => {
                const id = originId(entry.origin);
                return (
                  <tr key={entry.id} data-testid="dlq-entry">
                    <td>
                      <input
                        type="checkbox"
                        checked={selected.has(entry.id)}
                        onChange={() => toggle(entry.id)}
                        aria-label={`Select ${entry.id}`}
                      />
                    </td>
                    <td className="mono">{entry.id}</td>
                    <td>{entry.origin?.hook ?? entry.queue}</td>
                    <td>{id === null ? '–' : <EventLink id={id} />}</td>
                    <td>{entry.reason}</td>
                    <td className="num">{entry.attempts} attempts</td>
                    <td className="muted">{relative(entry.enteredAt)}</td>
                    <td>
                      {entry.redriveCount > 0
                        ? `redriven ×${entry.redriveCount}`
                        : ''}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="small"
                        onClick={() => void redrive({ ids: [entry.id] })}
                      >
                        Redrive
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
