import { useEffect } from 'react';
import { useStore } from 'zustand';

import { HelpOverlay } from './components/common/help-overlay';
import { Notices } from './components/common/notices';
import { TrustBanner } from './components/common/trust-banner';
import { MainView } from './components/main-view';
import { Rail } from './components/rail';
import { TerminalPanel } from './components/terminal/terminal-panel';
import { TopBar } from './components/top-bar';
import { handleShortcut } from './shortcuts';
import { appStore } from './state/app-store';

/** The window: top bar, left rail, main view and the terminal panel. */
export function App(): React.JSX.Element {
  const theme = useStore(appStore, (state) => state.theme);
  const isTerminalOpen = useStore(appStore, (state) => state.isTerminalOpen);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.defaultPrevented && handleShortcut(event)) {
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div className={`app theme-${theme}`} data-testid="app-shell">
      <TopBar />
      <TrustBanner />
      <div className="body">
        <Rail />
        <div className="work">
          <main className="main">
            <MainView />
          </main>
          {isTerminalOpen && <TerminalPanel />}
        </div>
      </div>
      <HelpOverlay />
      <Notices />
    </div>
  );
}
