import { useStore } from 'zustand';

import { editorStore } from '../../state/editor-store';

import { ApplyBar } from './apply-bar';
import { ExportPanel } from './export-panel';
import { HooksList } from './hooks-list';
import { PatternExplainer } from './pattern-explainer';
import { PendingEdit } from './pending-edit';
import { TestFire } from './test-fire';
import { TomlEditor } from './toml-editor';

const TABS = [
  { id: 'hooks', label: 'Hooks' },
  { id: 'explain', label: 'Explain a topic' },
  { id: 'fire', label: 'Test fire' },
  { id: 'export', label: 'Export' },
] as const;

/** hooks.toml on the left; hooks, explainer, test fire and export on the right. */
export function HookEditorView(): React.JSX.Element {
  const tab = useStore(editorStore, (state) => state.tab);
  const setTab = editorStore.getState().setTab;
  return (
    <section className="view editor-view" aria-labelledby="view-title">
      <header className="view-head">
        <h1 id="view-title">Hook editor</h1>
        <span className="muted">
          hooks.toml · checked by the cluster&apos;s own validator as you type
        </span>
      </header>
      <div className="editor-grid">
        <div className="editor-pane">
          <PendingEdit />
          <TomlEditor />
          <ApplyBar />
        </div>
        <div className="tool-pane">
          <div className="tabs" role="tablist" aria-label="Hook tools">
            {TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={tab === t.id}
                className={tab === t.id ? 'tab active' : 'tab'}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div
            className="tab-body"
            role="tabpanel"
            aria-labelledby={`tab-${tab}`}
          >
            {tab === 'hooks' && <HooksList />}
            {tab === 'explain' && <PatternExplainer />}
            {tab === 'fire' && <TestFire />}
            {tab === 'export' && <ExportPanel />}
          </div>
        </div>
      </div>
    </section>
  );
}
