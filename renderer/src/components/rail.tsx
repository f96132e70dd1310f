import { useStore } from 'zustand';

import { appStore, VIEWS } from '../state/app-store';

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
          {view.label}
        </button>
      ))}
    </nav>
  );
}
