import { useStore } from 'zustand';

import { SHORTCUTS } from '../../shortcuts';
import { appStore, VIEWS } from '../../state/app-store';

const SCOPES = [
  { id: 'global', label: 'Everywhere' },
  ...VIEWS.map((view) => ({ id: view.id, label: view.label })),
];

/** The `?` overlay: every shortcut, grouped by where it works. */
export function HelpOverlay(): React.JSX.Element | null {
  const isOpen = useStore(appStore, (state) => state.isHelpOpen);
  if (!isOpen) {
    return null;
  }
  const close = () => appStore.getState().setHelpOpen(false);
  return (
    <div className="overlay" onClick={close}>
      <div
        className="overlay-card"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        data-testid="help-overlay"
        onClick={(event) => event.stopPropagation()}
      >
        <div className="overlay-head">
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="ghost" onClick={close} autoFocus>
            Close (Esc)
          </button>
        </div>
        <div className="shortcut-columns">
          {SCOPES.map((scope) => {
            const list = SHORTCUTS.filter((s) => s.scope === scope.id);
            if (list.length === 0) {
              return null;
            }
            return (
              <section key={scope.id}>
                <h3>{scope.label}</h3>
                <dl className="shortcut-list">
                  {list.map((shortcut) => (
                    <div key={shortcut.keys + shortcut.label}>
                      <dt>
                        <kbd>{shortcut.keys}</kbd>
                      </dt>
                      <dd>{shortcut.label}</dd>
                    </div>
                  ))}
                </dl>
              </section>
            );
          })}
        </div>
      </div>
    </div>
  );
}
