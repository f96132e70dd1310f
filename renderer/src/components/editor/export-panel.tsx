import { useMemo, useState } from 'react';
import { useStore } from 'zustand';

import { diffLines } from '../../lib/line-diff';
import { editorStore } from '../../state/editor-store';

import { ExportDiff } from './export-diff';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

function download(name: string, content: string): void {
  const url = URL.createObjectURL(
    new Blob([content], { type: 'application/toml' }),
  );
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Export in production's shape, with where production differs. */
export function ExportPanel(): React.JSX.Element {
  const exported = useStore(editorStore, (state) => state.exported);
  const lastExport = useStore(editorStore, (state) => state.lastExport);
  const [strip, setStrip] = useState(false);
  const [tab, setTab] = useState<'report' | 'diff' | 'toml'>('report');
  const report = useMemo(
    () =>
      [...(exported?.report ?? [])].sort(
        (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
      ),
    [exported],
  );
  const diff = useMemo(
    () =>
      exported === null || lastExport === null
        ? null
        : diffLines(lastExport, exported.content),
    [exported, lastExport],
  );
  const importFile = async (file: File | undefined) => {
    if (file !== undefined) {
      const format = file.name.endsWith('.json') ? 'json' : 'toml';
      await editorStore.getState().importConfig(await file.text(), format);
    }
  };

  return (
    <div className="export" data-testid="export-panel">
      <div className="button-row">
        <button
          type="button"
          className="primary"
          onClick={() => void editorStore.getState().exportConfig(strip)}
          data-testid="export"
        >
          Export <kbd>e</kbd>
        </button>
        <label className="check">
          <input
            type="checkbox"
            checked={strip}
            onChange={(e) => setStrip(e.target.checked)}
          />
          Leave out studio-only keys
        </label>
        {exported !== null && (
          <button
            type="button"
            onClick={() => download('hooks.production.toml', exported.content)}
            data-testid="download-export"
          >
            Download TOML
          </button>
        )}
        <label className="file-button">
          Import…
          <input
            type="file"
            accept=".toml,.json"
            data-testid="import-file"
            onChange={(event) => {
              void importFile(event.target.files?.[0]);
              event.target.value = '';
            }}
          />
        </label>
      </div>
      {exported === null ? (
        <p className="empty">
          Export writes the editor&apos;s config in the shape production reads,
          with a report of every way production would behave differently.
        </p>
      ) : (
        <>
          <div className="tabs small-tabs" role="tablist" aria-label="Export">
            {(['report', 'diff', 'toml'] as const).map((id) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                className={tab === id ? 'tab active' : 'tab'}
                onClick={() => setTab(id)}
              >
                {id === 'report'
                  ? `Compatibility (${report.length})`
                  : id === 'diff'
                    ? 'Diff vs last export'
                    : 'TOML'}
              </button>
            ))}
          </div>
          {tab === 'report' && (
            <ul className="findings" data-testid="compat-report">
              {report.length === 0 && (
                <li className="muted">
                  Production behaves as the studio showed.
                </li>
              )}
              {report.map((finding, i) => (
                <li key={i} className={`finding sev-${finding.severity}`}>
                  <span className={`chip sev-${finding.severity}`}>
                    {finding.severity}
                  </span>
                  {finding.handler !== undefined && (
                    <strong>{finding.handler}</strong>
                  )}{' '}
                  <span className="finding-id">{finding.id}</span>
                  <div className="finding-text">{finding.message}</div>
                </li>
              ))}
            </ul>
          )}
          {tab === 'diff' && <ExportDiff diff={diff} />}
          {tab === 'toml' && (
            <pre className="code-block" data-testid="export-content">
              {exported.content}
            </pre>
          )}
        </>
      )}
    </div>
  );
}
