import { useStore } from 'zustand';

import { appStore } from '../../state/app-store';
import { terminalStore } from '../../state/terminal-store';

import { AttemptList } from './attempt-list';
import { XtermView } from './xterm-view';

/** The bottom panel: shell output on the left, the attempts on the right. */
export function TerminalPanel(): React.JSX.Element {
  const height = useStore(appStore, (state) => state.terminalHeight);
  const skipped = useStore(terminalStore, (state) => state.skipped);

  const startResize = (event: React.PointerEvent) => {
    const startY = event.clientY;
    const startHeight = appStore.getState().terminalHeight;
    const move = (e: PointerEvent) =>
      appStore.getState().setTerminalHeight(startHeight + startY - e.clientY);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  return (
    <section
      className="terminal-panel"
      aria-label="Terminal"
      style={{ height }}
    >
      <div
        className="resize-handle"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize the terminal"
        tabIndex={0}
        onPointerDown={startResize}
        onKeyDown={(event) => {
          const { terminalHeight, setTerminalHeight } = appStore.getState();
          if (event.key === 'ArrowUp') {
            setTerminalHeight(terminalHeight + 24);
          } else if (event.key === 'ArrowDown') {
            setTerminalHeight(terminalHeight - 24);
          }
        }}
      />
      <div className="panel-title">
        <span>Terminal</span>
        {skipped > 0 && (
          <span className="warn small">{skipped} chunks skipped</span>
        )}
        <div className="spacer" />
        <button
          type="button"
          className="ghost small"
          onClick={() => terminalStore.getState().clear()}
        >
          Clear list
        </button>
        <button
          type="button"
          className="ghost small"
          onClick={() => appStore.getState().toggleTerminal()}
          title="Hide (Ctrl+`)"
        >
          Hide
        </button>
      </div>
      <div className="terminal-body">
        <XtermView />
        <AttemptList />
      </div>
    </section>
  );
}
