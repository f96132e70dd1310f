import { useStore } from 'zustand';

import { editorStore } from '../../state/editor-store';

import { revealLine } from './toml-editor';

/** Apply, what the last apply did, and the diagnostics of the text. */
export function ApplyBar(): React.JSX.Element {
  const isApplying = useStore(editorStore, (state) => state.isApplying);
  const outcome = useStore(editorStore, (state) => state.outcome);
  const diagnostics = useStore(editorStore, (state) => state.diagnostics);
  const applied = useStore(editorStore, (state) => state.applied);
  const isDirty = useStore(
    editorStore,
    (state) => state.applied === null || state.applied.text !== state.text,
  );
  const isStale = useStore(
    editorStore,
    (state) => state.checkedText !== state.text,
  );
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;

  return (
    <div className="apply-bar">
      <div className="apply-row">
        <button
          type="button"
          className="primary"
          disabled={isApplying}
          onClick={() => void editorStore.getState().apply()}
          data-testid="apply-config"
          title="Apply to the cluster (Ctrl+S)"
        >
          {isApplying ? 'Applying…' : 'Apply'} <kbd>Ctrl S</kbd>
        </button>
        <span className="muted" data-testid="applied-version">
          {applied === null
            ? 'nothing applied yet'
            : `v${applied.version} at index ${applied.index}`}
          {isDirty && applied !== null ? ' · unapplied changes' : ''}
        </span>
        <span
          className={
            errors > 0
              ? 'count bad'
              : warnings > 0
                ? 'count warn'
                : 'count good'
          }
          data-testid="diagnostic-count"
        >
          {isStale
            ? 'checking…'
            : errors + warnings === 0
              ? 'valid'
              : `${errors} error${errors === 1 ? '' : 's'} · ${warnings} warning${warnings === 1 ? '' : 's'}`}
        </span>
      </div>
      {outcome !== null && (
        <div
          className={`outcome outcome-${outcome.kind}`}
          role={outcome.kind === 'refused' ? 'alert' : 'status'}
          data-testid="apply-outcome"
        >
          {outcome.kind === 'applied'
            ? `Applied as version ${outcome.version} at log index ${outcome.index}${outcome.warnings > 0 ? ` with ${outcome.warnings} warnings` : ''}.`
            : `Apply refused: ${outcome.message}`}
        </div>
      )}
      {diagnostics.length > 0 && (
        <ul className="diagnostics" aria-label="Diagnostics">
          {diagnostics.map((d, i) => (
            <li key={i} className={`diag diag-${d.severity}`}>
              <button
                type="button"
                className="linkish"
                onClick={() => revealLine(d.line, d.column)}
              >
                {d.line}:{d.column}
              </button>
              <span className="diag-rule">{d.rule}</span>
              <span>{d.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
