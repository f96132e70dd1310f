import { createStore } from 'zustand/vanilla';

import type { TimelineFilter } from '../lib/timeline-filter';

/** A filter the user named and kept. */
export interface SavedFilter {
  name: string;
  filter: TimelineFilter;
}

interface SavedFiltersState {
  saved: SavedFilter[];
  save(name: string, filter: TimelineFilter): void;
  remove(name: string): void;
}

const KEY = 'aspen-saved-filters';

function read(): SavedFilter[] {
  try {
    const text = globalThis.localStorage?.getItem(KEY);
    return text ? (JSON.parse(text) as SavedFilter[]) : [];
  } catch {
    return [];
  }
}

function write(saved: SavedFilter[]): void {
  globalThis.localStorage?.setItem(KEY, JSON.stringify(saved));
}

/** Named timeline filters, kept across runs in local storage. */
export const savedFiltersStore = createStore<SavedFiltersState>()(
  (set, get) => ({
    saved: read(),
    save: (name, filter) => {
      const saved = [
        ...get().saved.filter((entry) => entry.name !== name),
        { name, filter },
      ];
      write(saved);
      set({ saved });
    },
    remove: (name) => {
      const saved = get().saved.filter((entry) => entry.name !== name);
      write(saved);
      set({ saved });
    },
  }),
);
