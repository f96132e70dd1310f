import { createStore } from 'zustand/vanilla';

import type { WorkspaceInfo } from '../../../preload/contract';

/** The views of the left rail, with their Alt+digit shortcut. */
export const VIEWS = [
  { id: 'topology', label: 'Topology', key: '1' },
  { id: 'hooks', label: 'Hook editor', key: '2' },
  { id: 'timeline', label: 'Timeline', key: '3' },
  { id: 'jobs', label: 'Jobs & DLQ', key: '4' },
  { id: 'metrics', label: 'Metrics', key: '5' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export type Theme = 'dark' | 'light';

type Connection =
  | { state: 'connecting' }
  | {
      state: 'connected';
      version: string;
      carrier: 'electron' | 'browser';
      workspace?: WorkspaceInfo;
    }
  | { state: 'failed'; message: string };

export interface AppState {
  view: ViewId;
  theme: Theme;
  isTerminalOpen: boolean;
  /** Height of the bottom panel in px. */
  terminalHeight: number;
  isHelpOpen: boolean;
  connection: Connection;
  setView(view: ViewId): void;
  toggleTheme(): void;
  toggleTerminal(): void;
  setTerminalHeight(height: number): void;
  setHelpOpen(isOpen: boolean): void;
  setConnection(connection: Connection): void;
}

const THEME_KEY = 'aspen-theme';

function initialTheme(): Theme {
  const saved = globalThis.localStorage?.getItem(THEME_KEY);
  if (saved === 'dark' || saved === 'light') {
    return saved;
  }
  const prefersLight = globalThis.matchMedia?.(
    '(prefers-color-scheme: light)',
  ).matches;
  return prefersLight ? 'light' : 'dark';
}

/** The app-wide store, created outside React so pushes can update it. */
export const appStore = createStore<AppState>()((set) => ({
  view: 'topology',
  theme: initialTheme(),
  isTerminalOpen: true,
  terminalHeight: 210,
  isHelpOpen: false,
  connection: { state: 'connecting' },
  setView: (view) => set({ view }),
  toggleTheme: () =>
    set((state) => {
      const theme = state.theme === 'dark' ? 'light' : 'dark';
      globalThis.localStorage?.setItem(THEME_KEY, theme);
      return { theme };
    }),
  toggleTerminal: () =>
    set((state) => ({ isTerminalOpen: !state.isTerminalOpen })),
  setTerminalHeight: (height) =>
    set({ terminalHeight: Math.max(120, Math.min(height, 640)) }),
  setHelpOpen: (isHelpOpen) => set({ isHelpOpen }),
  setConnection: (connection) => set({ connection }),
}));
