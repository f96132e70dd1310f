import { createStore } from 'zustand/vanilla';

import type {
  EventsBatch,
  RangeResponse,
  TimelineEvent,
} from '../../../preload/contract';
import { describeError, invoke } from '../api';
import { parseEventKey } from '../lib/event-id';
import {
  compileFilter,
  EMPTY_FILTER,
  isEmptyFilter,
  rowId,
  type Observation,
  type TimelineFilter,
  type TimelineRow,
} from '../lib/timeline-filter';

import { hooksStore } from './hooks-store';
import { metricsStore } from './metrics-store';
import { noticeStore } from './notice-store';

interface TimelineState {
  /** Every row in global order. Mutated in place; watch `version`. */
  rows: TimelineRow[];
  version: number;
  /** Positions in `rows` the filter keeps; null when it keeps all. */
  visible: number[] | null;
  filter: TimelineFilter;
  filterError: string | null;
  isFollowing: boolean;
  selectedId: string | null;
  /** Bumped to make the list scroll to the selected row. */
  revealSeq: number;
  /** Events the feed left out that could not be fetched back. */
  missing: number;
  receiveBatch(batch: EventsBatch): void;
  loadHistory(): Promise<void>;
  addObservation(index: number, text: string, tone: Observation['tone']): void;
  setFilter(patch: Partial<TimelineFilter>): void;
  refilter(): void;
  setFollowing(isFollowing: boolean): void;
  select(id: string | null): void;
  reveal(id: string): boolean;
  jumpToIndex(index: number): boolean;
  /** Forgets every row (tests, and a workspace switch). */
  reset(): void;
}

const OBSERVATION_SUB = 2 ** 40;
const byId = new Map<string, TimelineRow>();
// an id asked for before its event arrived; revealed once it does
let pendingReveal: string | null = null;
let observationSeq = 0;

function eventRow(event: TimelineEvent): TimelineRow {
  const key = parseEventKey(event.id) ?? { index: 0, offset: 0 };
  return { kind: 'event', index: key.index, sub: key.offset, event };
}

function before(a: TimelineRow, b: TimelineRow): boolean {
  return a.index < b.index || (a.index === b.index && a.sub < b.sub);
}

/** First position whose row is not before `row`. */
function lowerBound(rows: TimelineRow[], index: number, sub: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = rows[mid]!;
    if (r.index < index || (r.index === index && r.sub < sub)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function hookPatterns(): Map<string, string> {
  const hooks = hooksStore.getState().list?.hooks ?? [];
  return new Map(hooks.map((hook) => [hook.name, hook.pattern]));
}

/** The timeline: every event and observation, filtered and followed. */
export const timelineStore = createStore<TimelineState>()((set, get) => {
  // adds rows (any order, duplicates dropped) and says whether the old
  // rows kept their positions, so the filter can work incrementally
  const merge = (incoming: TimelineRow[]) => {
    const { rows } = get();
    const fresh = incoming.filter((row) => !byId.has(rowId(row)));
    const added = fresh.length;
    if (added === 0) {
      return { added, isAppendOnly: true };
    }
    fresh.forEach((row) => byId.set(rowId(row), row));
    fresh.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    const last = rows[rows.length - 1];
    if (last === undefined || !before(fresh[0]!, last)) {
      for (const row of fresh) {
        rows.push(row);
      }
      return { added, isAppendOnly: true };
    }
    const merged: TimelineRow[] = [];
    let i = 0;
    let j = 0;
    while (i < rows.length || j < fresh.length) {
      const takeFresh =
        i === rows.length || (j < fresh.length && before(fresh[j]!, rows[i]!));
      merged.push(takeFresh ? fresh[j++]! : rows[i++]!);
    }
    rows.length = 0;
    for (const row of merged) {
      rows.push(row);
    }
    return { added, isAppendOnly: false };
  };

  const mergeEvents = (events: TimelineEvent[]) => {
    const start = get().rows.length;
    const result = merge(events.map(eventRow));
    if (result.added > 0) {
      afterMerge(result.isAppendOnly, start);
    }
    return result.added;
  };

  const afterMerge = (isAppendOnly: boolean, from: number) => {
    filterAfterMerge(isAppendOnly, from);
    if (pendingReveal !== null && byId.has(pendingReveal)) {
      const id = pendingReveal;
      pendingReveal = null;
      get().reveal(id);
    }
  };

  const filterAfterMerge = (isAppendOnly: boolean, from: number) => {
    const state = get();
    if (isEmptyFilter(state.filter)) {
      set({ version: state.version + 1, visible: null });
      return;
    }
    if (!isAppendOnly || state.visible === null) {
      state.refilter();
      return;
    }
    const compiled = compileFilter(state.filter, hookPatterns());
    if ('test' in compiled) {
      for (let i = from; i < state.rows.length; i++) {
        if (compiled.test(state.rows[i]!)) {
          state.visible.push(i);
        }
      }
    }
    set({ version: state.version + 1 });
  };

  const backfill = async (from: string) => {
    let cursor: string | null = from;
    for (let page = 0; cursor !== null && page < 200; page++) {
      const response: RangeResponse = await invoke('events:range', {
        from: cursor,
        limit: 1000,
      });
      // a page the feed had already delivered ends the gap
      if (mergeEvents(response.events) === 0 && response.events.length > 0) {
        break;
      }
      cursor = response.next;
    }
  };

  return {
    rows: [],
    version: 0,
    visible: null,
    filter: EMPTY_FILTER,
    filterError: null,
    isFollowing: true,
    selectedId: null,
    revealSeq: 0,
    missing: 0,
    receiveBatch: (batch) => {
      metricsStore.getState().recordEvents(batch.events.length + batch.skipped);
      mergeEvents(batch.events);
      if (batch.skipped > 0 && batch.skippedFrom !== null) {
        backfill(batch.skippedFrom).catch((error: unknown) => {
          set((state) => ({ missing: state.missing + batch.skipped }));
          noticeStore
            .getState()
            .push('warn', `Timeline gap: ${describeError(error)}`);
        });
      }
    },
    loadHistory: async () => {
      const first = await invoke('events:range', { limit: 1000 });
      mergeEvents(first.events);
      if (first.next !== null) {
        await backfill(first.next);
      }
    },
    addObservation: (index, text, tone) => {
      const seq = ++observationSeq;
      const obs: Observation = {
        id: `obs-${seq}`,
        text,
        tone,
        time: Date.now(),
      };
      const row: TimelineRow = {
        kind: 'observation',
        index,
        sub: OBSERVATION_SUB + seq,
        obs,
      };
      const start = get().rows.length;
      afterMerge(merge([row]).isAppendOnly, start);
    },
    setFilter: (patch) => {
      set((state) => ({ filter: { ...state.filter, ...patch } }));
      get().refilter();
    },
    refilter: () => {
      const { filter, rows, version } = get();
      if (isEmptyFilter(filter)) {
        set({ visible: null, filterError: null, version: version + 1 });
        return;
      }
      const compiled = compileFilter(filter, hookPatterns());
      if ('error' in compiled) {
        set({ filterError: compiled.error });
        return;
      }
      const visible: number[] = [];
      for (let i = 0; i < rows.length; i++) {
        if (compiled.test(rows[i]!)) {
          visible.push(i);
        }
      }
      set({ visible, filterError: null, version: version + 1 });
    },
    setFollowing: (isFollowing) => set({ isFollowing }),
    select: (selectedId) => set({ selectedId }),
    reveal: (id) => {
      if (!byId.has(id)) {
        pendingReveal = id;
        return false;
      }
      pendingReveal = null;
      const { visible, rows } = get();
      const row = byId.get(id)!;
      const position = lowerBound(rows, row.index, row.sub);
      if (visible !== null && !visible.includes(position)) {
        get().setFilter(EMPTY_FILTER);
      }
      set((state) => ({
        selectedId: id,
        isFollowing: false,
        revealSeq: state.revealSeq + 1,
      }));
      return true;
    },
    jumpToIndex: (index) => {
      const { rows } = get();
      const position = lowerBound(rows, index, 0);
      const row = rows[Math.min(position, rows.length - 1)];
      return row === undefined ? false : get().reveal(rowId(row));
    },
    reset: () => {
      byId.clear();
      pendingReveal = null;
      set({
        rows: [],
        visible: null,
        version: 0,
        filter: EMPTY_FILTER,
        filterError: null,
        selectedId: null,
        isFollowing: true,
        missing: 0,
      });
    },
  };
});

/** Where a row sits in `rows`, or -1. */
export function positionOf(id: string): number {
  const row = byId.get(id);
  if (row === undefined) {
    return -1;
  }
  return lowerBound(timelineStore.getState().rows, row.index, row.sub);
}

/** The row with this id, if kept. */
export function rowById(id: string): TimelineRow | undefined {
  return byId.get(id);
}
