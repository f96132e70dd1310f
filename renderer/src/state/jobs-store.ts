import { createStore } from 'zustand/vanilla';

import type {
  DlqSelectorRequest,
  JobsListResponse,
} from '../../../preload/contract';
import { describeError, invoke } from '../api';
import { createPoller } from '../lib/poller';

import { noticeStore } from './notice-store';

interface JobsState {
  list: JobsListResponse | null;
  error: string | null;
  /** DLQ entries ticked for a bulk redrive or purge. */
  selected: ReadonlySet<string>;
  /** Local time of the last answer. */
  updatedAt: number;
  toggle(id: string): void;
  setSelected(ids: Iterable<string>): void;
  redrive(selector: DlqSelectorRequest): Promise<void>;
  purge(selector: DlqSelectorRequest): Promise<void>;
}

/** The queues and the DLQ, polled while a view shows them. */
export const jobsStore = createStore<JobsState>()((set, get) => ({
  list: null,
  error: null,
  selected: new Set(),
  updatedAt: 0,
  toggle: (id) => {
    const selected = new Set(get().selected);
    if (!selected.delete(id)) {
      selected.add(id);
    }
    set({ selected });
  },
  setSelected: (ids) => set({ selected: new Set(ids) }),
  redrive: async (selector) => {
    try {
      const result = await invoke('jobs:redrive', selector);
      const count = result.redriven.length;
      noticeStore
        .getState()
        .push(
          'info',
          `Redrove ${count} job${count === 1 ? '' : 's'}; attempt counts start again from 0` +
            (result.skipped.length > 0
              ? ` (${result.skipped.length} no longer in the DLQ)`
              : ''),
        );
      set({ selected: new Set() });
    } catch (error) {
      noticeStore.getState().push('error', `Redrive: ${describeError(error)}`);
    }
    await jobsPoller.refresh();
  },
  purge: async (selector) => {
    try {
      const result = await invoke('jobs:purge', selector);
      noticeStore
        .getState()
        .push('info', `Purged ${result.purged.length} DLQ entries`);
      set({ selected: new Set() });
    } catch (error) {
      noticeStore.getState().push('error', `Purge: ${describeError(error)}`);
    }
    await jobsPoller.refresh();
  },
}));

/** Polls `jobs:list` about once a second while acquired. */
export const jobsPoller = createPoller(async () => {
  try {
    const list = await invoke('jobs:list', {});
    jobsStore.setState({ list, error: null, updatedAt: Date.now() });
  } catch (error) {
    jobsStore.setState({ error: describeError(error) });
  }
}, 1000);
