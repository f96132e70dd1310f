import { useEffect } from 'react';
import { useStore } from 'zustand';

import { MainView } from './components/main-view';
import { Rail } from './components/rail';
import { TerminalPanel } from './components/terminal-panel';
import { TopBar } from './components/top-bar';
import { appStore, VIEWS } from './state/app-store';

/** The window: top bar, left rail, main view and the terminal panel. */
export function App(): React.JSX.Element {
  const theme = useStore(appStore, (state) => state.theme);
  const isTerminalOpen = useStore(appStore, (state) => state.isTerminalOpen);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement) {
        return;
      }
      const view = VIEWS.find((candidate) => candidate.key === event.key);
      if (view !== undefined && (event.altKey || event.metaKey)) {
        appStore.getState().setView(view.id);
      } else if (event.key === '`' && event.ctrlKey) {
        appStore.getState().toggleTerminal();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={`app theme-${theme}`} data-testid="app-shell">
      <TopBar />
      <div className="body">
        <Rail />
        <main className="main">
          <MainView />
        </main>
      </div>
      {isTerminalOpen && <TerminalPanel />}
    </div>
  );
}
