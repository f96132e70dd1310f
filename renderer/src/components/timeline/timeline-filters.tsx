import { useState } from 'react';
import { useStore } from 'zustand';

import type { StatusFilter } from '../../lib/timeline-filter';
import { hooksStore } from '../../state/hooks-store';
import { savedFiltersStore } from '../../state/saved-filters-store';
import { timelineStore } from '../../state/timeline-store';

const STATUSES: { id: StatusFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'cluster', label: 'Cluster & faults' },
  { id: 'delivered', label: 'Delivered' },
  { id: 'failed', label: 'Failed' },
  { id: 'none', label: 'No delivery' },
];

/** Pattern, payload text, status and hook filters, and saved filters. */
export function TimelineFilters(): React.JSX.Element {
  const filter = useStore(timelineStore, (state) => state.filter);
  const error = useStore(timelineStore, (state) => state.filterError);
  const saved = useStore(savedFiltersStore, (state) => state.saved);
  const hooks = useStore(hooksStore, (state) => state.list?.hooks);
  const [name, setName] = useState('');
  const { setFilter } = timelineStore.getState();

  return (
    <div className="filters" role="search" aria-label="Timeline filters">
      <label className="field">
        <span>Pattern</span>
        <input
          id="timeline-pattern"
          className="mono"
          value={filter.pattern}
          placeholder="orders.* or hooks.>"
          spellCheck={false}
          onChange={(e) => setFilter({ pattern: e.target.value })}
          aria-invalid={error !== null && error.startsWith('pattern')}
        />
      </label>
      <label className="field">
        <span>Payload</span>
        <input
          id="timeline-text"
          value={filter.text}
          placeholder="search text"
          onChange={(e) => setFilter({ text: e.target.value })}
        />
      </label>
      <label className="field">
        <span>Status</span>
        <select
          value={filter.status}
          onChange={(e) =>
            setFilter({ status: e.target.value as StatusFilter })
          }
        >
          {STATUSES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Hook</span>
        <select
          value={filter.hook}
          onChange={(e) => setFilter({ hook: e.target.value })}
        >
          <option value="">any</option>
          {(hooks ?? []).map((h) => (
            <option key={h.name} value={h.name}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Saved</span>
        <select
          value=""
          onChange={(e) => {
            const found = saved.find((s) => s.name === e.target.value);
            if (found !== undefined) {
              setFilter(found.filter);
            }
          }}
        >
          <option value="">{saved.length === 0 ? 'none yet' : 'apply…'}</option>
          {saved.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <form
        className="save-filter"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() !== '') {
            savedFiltersStore
              .getState()
              .save(name.trim(), timelineStore.getState().filter);
            setName('');
          }
        }}
      >
        <input
          aria-label="Name for this filter"
          placeholder="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" disabled={name.trim() === ''}>
          Save
        </button>
      </form>
      {error !== null && (
        <span className="bad small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
