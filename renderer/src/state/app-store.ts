import { createStore } from 'zustand/vanilla';

/** The views of the left rail. */
export const VIEWS = [
  { id: 'topology', label: 'Topology', key: '1' },
  { id: 'hooks', label: 'Hooks', key: '2' },
  { id: 'timeline', label: 'Timeline', key: '3' },
  { id: 'jobs', label: 'Jobs & DLQ', key: '4' },
  { id: 'metrics', label: 'Metrics', key: '5' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

type Connection =
  | { state: 'connecting' }
  | { state: 'connected'; version: string; carrier: 'electron' | 'browser' }
  | { state: 'failed'; message: string };

export interface AppState {
  view: ViewId;
  theme: 'dark' | 'light';
  isTerminalOpen: boolean;
  connection: Connection;
  setView(view: ViewId): void;
  toggleTheme(): void;
  toggleTerminal(): void;
  setConnection(connection: Connection): void;
}

/** The app-wide store, created outside React so pushes can update it. */
export const appStore = createStore<AppState>()((set) => ({
  view: 'topology',
  theme: 'dark',
  isTerminalOpen: true,
  connection: { state: 'connecting' },
  setView: (view) => set({ view }),
  toggleTheme: () =>
    set((state) => ({ theme: state.theme === 'dark' ? 'light' : 'dark' })),
  toggleTerminal: () =>
    set((state) => ({ isTerminalOpen: !state.isTerminalOpen })),
  setConnection: (connection) => set({ connection }),
}));
