import { beforeEach, describe, expect, it } from 'vitest';

import type { TimelineEvent } from '../../../preload/contract';
import { rowId } from '../../../renderer/src/lib/timeline-filter';
import {
  positionOf,
  timelineStore,
} from '../../../renderer/src/state/timeline-store';

function event(id: string, topic = 'orders.created'): TimelineEvent {
  return { id, topic, time: 1, payload: { id }, depth: 0 };
}

function batch(...events: TimelineEvent[]) {
  const last = events[events.length - 1]!.id;
  return { events, skipped: 0, skippedFrom: null, next: last };
}

describe('timelineStore', () => {
  beforeEach(() => {
    timelineStore.getState().reset();
  });

  describe('receiveBatch()', () => {
    it('keeps global order and drops duplicates when batches arrive out of order', () => {
      const { receiveBatch } = timelineStore.getState();
      receiveBatch(batch(event('5.0'), event('6.0')));
      receiveBatch(batch(event('3.0'), event('5.0'), event('5.1')));
      const ids = timelineStore.getState().rows.map(rowId);
      expect(ids).toEqual(['3.0', '5.0', '5.1', '6.0']);
      expect(positionOf('5.1')).toBe(2);
    });
  });

  describe('addObservation()', () => {
    it('places an observation after every event of the index it was seen at', () => {
      const state = timelineStore.getState();
      state.receiveBatch(batch(event('7.0'), event('7.1')));
      state.addObservation(7, 'node 2 killed', 'fault');
      state.receiveBatch(batch(event('8.0')));
      const rows = timelineStore.getState().rows;
      expect(rows.map((r) => r.kind)).toEqual([
        'event',
        'event',
        'observation',
        'event',
      ]);
    });
  });

  describe('setFilter()', () => {
    it('filters by pattern and payload text, incrementally as rows arrive', () => {
      const state = timelineStore.getState();
      state.receiveBatch(
        batch(event('10.0', 'orders.created'), event('11.0', 'users.created')),
      );
      state.setFilter({ pattern: 'orders.*' });
      expect(timelineStore.getState().visible).toEqual([0]);
      state.receiveBatch(batch(event('12.0', 'orders.paid')));
      expect(timelineStore.getState().visible).toEqual([0, 2]);
      state.setFilter({ pattern: '', text: '"11.0"' });
      expect(timelineStore.getState().visible).toEqual([1]);
    });

    it('reports a malformed pattern instead of filtering', () => {
      timelineStore.getState().setFilter({ pattern: 'a.>.b' });
      expect(timelineStore.getState().filterError).toMatch(/pattern/);
    });
  });
});
