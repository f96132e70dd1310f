import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef } from 'react';
import { useStore } from 'zustand';

import { rowId } from '../../lib/timeline-filter';
import { terminalStore } from '../../state/terminal-store';
import { jobsStore } from '../../state/jobs-store';
import { timelineStore } from '../../state/timeline-store';

import { TimelineRowView } from './timeline-row';
import {
  selectedVisibleIndex,
  visibleCount,
  visibleRow,
} from './timeline-selection';

export const ROW_HEIGHT = 26;

/** The rows, virtualized: only what is on screen is in the DOM. */
export function TimelineList(): React.JSX.Element {
  const scrollRef = useRef<HTMLDivElement>(null);
  const version = useStore(timelineStore, (state) => state.version);
  const isFollowing = useStore(timelineStore, (state) => state.isFollowing);
  const selectedId = useStore(timelineStore, (state) => state.selectedId);
  const revealSeq = useStore(timelineStore, (state) => state.revealSeq);
  const attemptsVersion = useStore(terminalStore, (state) => state.version);
  const jobsAt = useStore(jobsStore, (state) => state.updatedAt);
  const count = visibleCount();

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  useEffect(() => {
    if (isFollowing && count > 0) {
      virtualizer.scrollToIndex(count - 1, { align: 'end' });
    }
  }, [version, isFollowing, count, virtualizer]);

  useEffect(() => {
    const at = selectedVisibleIndex();
    if (revealSeq > 0 && at >= 0) {
      virtualizer.scrollToIndex(at, { align: 'center' });
    }
  }, [revealSeq, virtualizer]);

  const onSelect = useCallback(
    (id: string) => timelineStore.getState().select(id),
    [],
  );
  const stopFollowing = () => {
    if (timelineStore.getState().isFollowing) {
      timelineStore.getState().setFollowing(false);
    }
  };

  if (count === 0) {
    const hasRows = timelineStore.getState().rows.length > 0;
    return (
      <div className="empty timeline-empty">
        {hasRows
          ? 'No row matches the filter. Clear it, or widen the pattern.'
          : 'No events yet. Publish one from Hook editor › Test fire, write a key, or kill the leader: every event and election lands here in log order.'}
      </div>
    );
  }
  const items = virtualizer.getVirtualItems();
  return (
    <div
      className="tlist"
      ref={scrollRef}
      role="grid"
      aria-label="Timeline events"
      aria-rowcount={count}
      tabIndex={0}
      data-testid="timeline-list"
      onWheel={(event) => event.deltaY < 0 && stopFollowing()}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = visibleRow(item.index);
          if (row === undefined) {
            return null;
          }
          const id = rowId(row);
          return (
            <div
              key={id}
              className="tslot"
              style={{
                transform: `translateY(${item.start}px)`,
                height: ROW_HEIGHT,
              }}
            >
              <TimelineRowView
                row={row}
                isSelected={id === selectedId}
                deliveriesVersion={attemptsVersion + jobsAt}
                onSelect={onSelect}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
