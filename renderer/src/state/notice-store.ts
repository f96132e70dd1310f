import { createStore } from 'zustand/vanilla';

/** One message in the corner of the window. */
export interface NoticeItem {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

interface NoticeState {
  notices: NoticeItem[];
  push(level: NoticeItem['level'], message: string): void;
  dismiss(id: number): void;
}

const LIFETIME_MS = { info: 4000, warn: 8000, error: 12000 };
const MAX_SHOWN = 4;
let nextId = 1;

/** Notices from the service and from failed actions. */
export const noticeStore = createStore<NoticeState>()((set, get) => ({
  notices: [],
  push: (level, message) => {
    const id = nextId++;
    set((state) => ({
      notices: [...state.notices, { id, level, message }].slice(-MAX_SHOWN),
    }));
    setTimeout(() => get().dismiss(id), LIFETIME_MS[level]);
  },
  dismiss: (id) =>
    set((state) => ({
      notices: state.notices.filter((notice) => notice.id !== id),
    })),
}));

/** Shows an error notice for a failed action, prefixed by what was tried. */
export function reportFailure(what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  noticeStore.getState().push('error', `${what}: ${message}`);
}
