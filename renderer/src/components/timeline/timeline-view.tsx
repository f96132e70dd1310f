import { useEffect, useState } from 'react';
import { useStore } from 'zustand';

import { hooksPoller } from '../../state/hooks-store';
import { jobsPoller } from '../../state/jobs-store';
import { timelineStore } from '../../state/timeline-store';

import { EventDetail } from './event-detail';
import { ReplayPanel } from './replay-panel';
import { TimelineFilters } from './timeline-filters';
import { TimelineList } from './timeline-list';
import { visibleCount } from './timeline-selection';

function JumpToIndex(): React.JSX.Element {
  const [value, setValue] = useState('');
  const [miss, setMiss] = useState(false);
  return (
    <form
      className="jump"
      onSubmit={(event) => {
        event.preventDefault();
        setMiss(!timelineStore.getState().jumpToIndex(Number(value)));
      }}
    >
      <input
        id="timeline-jump"
        type="number"
        min={0}
        placeholder="index"
        aria-label="Jump to log index"
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit">Jump</button>
      {miss && <span className="bad small">no rows yet</span>}
    </form>
  );
}

/** Every event, election and fault in global log order. */
export function TimelineView(): React.JSX.Element {
  const isFollowing = useStore(timelineStore, (state) => state.isFollowing);
  const total = useStore(timelineStore, (state) => state.rows.length);
  useStore(timelineStore, (state) => state.visible);
  const hasSelection = useStore(
    timelineStore,
    (state) => state.selectedId !== null,
  );
  const [isReplayOpen, setReplayOpen] = useState(false);
  useEffect(() => hooksPoller.acquire(), []);
  useEffect(() => jobsPoller.acquire(), []);
  const shown = visibleCount();

  return (
    <section className="view timeline-view" aria-labelledby="view-title">
      <header className="view-head">
        <h1 id="view-title">Timeline</h1>
        <span className="muted" data-testid="timeline-count">
          {shown === total ? `${total} rows` : `${shown} of ${total} rows`}
        </span>
        <div className="spacer" />
        <JumpToIndex />
        <button
          type="button"
          onClick={() => setReplayOpen(!isReplayOpen)}
          aria-expanded={isReplayOpen}
        >
          Replay range…
        </button>
        <button
          type="button"
          className={isFollowing ? 'toggle on' : 'toggle'}
          aria-pressed={isFollowing}
          onClick={() => timelineStore.getState().setFollowing(!isFollowing)}
          data-testid="follow"
        >
          {isFollowing ? '● Following' : '○ Follow'} <kbd>f</kbd>
        </button>
      </header>
      <TimelineFilters />
      {isReplayOpen && <ReplayPanel onClose={() => setReplayOpen(false)} />}
      <div
        className={hasSelection ? 'timeline-body with-detail' : 'timeline-body'}
      >
        <div className="tgrid">
          <div className="thead" role="row">
            <span className="tcell tid">Index</span>
            <span className="tcell ttime">Time</span>
            <span className="tcell ttopic">Topic</span>
            <span className="tcell tsummary">Payload</span>
            <span className="tcell tdeliv">Deliveries</span>
          </div>
          <TimelineList />
        </div>
        <EventDetail />
      </div>
    </section>
  );
}
