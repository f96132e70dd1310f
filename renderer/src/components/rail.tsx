import { useStore } from 'zustand';

import { appStore, VIEWS } from '../state/app-store';

const ICONS: Record<string, string> = {
  topology: '◎',
  hooks: '✎',
  timeline: '☰',
  jobs: '▦',
  metrics: '∿',
};

/** The left rail of views; Alt+1…5 switches from the keyboard. */
export function Rail(): React.JSX.Element {
  const current = useStore(appStore, (state) => state.view);
  return (
    <nav className="rail" aria-label="Views">
      {VIEWS.map((view) => (
        <button
          key={view.id}
          type="button"
          className={view.id === current ? 'rail-item active' : 'rail-item'}
          aria-current={view.id === current ? 'page' : undefined}
          title={`${view.label} (Alt+${view.key})`}
          onClick={() => appStore.getState().setView(view.id)}
        >
          <span className="rail-icon" aria-hidden="true">
            {ICONS[view.id]}
          </span>
          <span className="rail-label">{view.label}</span>
          <kbd className="rail-key">{view.key}</kbd>
        </button>
      ))}
      <div className="rail-spacer" />
      <button
        type="button"
        className="rail-item"
        onClick={() => appStore.getState().setHelpOpen(true)}
        title="Keyboard shortcuts (?)"
      >
        <span className="rail-icon" aria-hidden="true">
          ⌨
        </span>
        <span className="rail-label">Shortcuts</span>
        <kbd className="rail-key">?</kbd>
      </button>
    </nav>
  );
}
