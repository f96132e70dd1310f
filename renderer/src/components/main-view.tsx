import { useStore } from 'zustand';

import { appStore, VIEWS } from '../state/app-store';

/** The current view. Each view arrives with the issue that delivers it. */
export function MainView(): React.JSX.Element {
  const view = useStore(appStore, (state) => state.view);
  const label = VIEWS.find((candidate) => candidate.id === view)?.label;
  return (
    <section className="view" aria-labelledby="view-title">
      <h1 id="view-title">{label}</h1>
      <p className="placeholder">
        This view is not built yet. The cluster and hooks behind it are being
        built in the engine first.
      </p>
    </section>
  );
}
