import { useEffect, useState } from 'react';

import type { ConfigPending } from '../../../../preload/contract-workspace';
import { describeError, invoke, studioApi } from '../../api';
import { editorStore } from '../../state/editor-store';

/**
 * An edit to hooks.toml made outside the studio (another editor, git): it
 * is shown as unapplied, with its diff against what the cluster runs, and
 * applies only on request.
 */
export function PendingEdit(): React.JSX.Element | null {
  const [pending, setPending] = useState<ConfigPending | null>(null);
  const [isDiffOpen, setDiffOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let isLive = true;
    invoke('config:pending', {})
      .then((state) => isLive && setPending(state))
      .catch(() => {});
    const off = studioApi().on('config:pending', setPending);
    return () => {
      isLive = false;
      off();
    };
  }, []);

  // nothing applied yet is the normal start: the editor covers it
  if (pending === null || pending.isApplied || pending.applied === null) {
    return null;
  }

  const changed = pending.diff.filter((line) => line.kind !== 'same').length;
  const apply = () => {
    invoke('config:apply', { text: pending.text, save: false })
      .then((applied) => {
        setMessage(`applied as version ${applied.version}`);
        editorStore.getState().replaceText(pending.text);
      })
      .catch((error: unknown) => setMessage(describeError(error)));
  };

  return (
    <div className="pending-edit" role="status" data-testid="pending-edit">
      <div className="pending-head">
        <span>
          {pending.exists
            ? `hooks.toml changed on disk: ${changed} lines differ from what the cluster runs`
            : 'hooks.toml was deleted on disk; the cluster keeps its config'}
        </span>
        <button type="button" onClick={() => setDiffOpen(!isDiffOpen)}>
          {isDiffOpen ? 'Hide diff' : 'Show diff'}
        </button>
        {pending.exists && (
          <button
            type="button"
            onClick={() => editorStore.getState().replaceText(pending.text)}
          >
            Load into editor
          </button>
        )}
        {pending.exists && (
          <button type="button" disabled={!pending.isValid} onClick={apply}>
            Apply it
          </button>
        )}
      </div>
      {!pending.isValid && (
        <div className="pending-errors">
          {pending.diagnostics.map((d) => (
            <div key={`${d.line}:${d.column}:${d.message}`}>
              {d.line}:{d.column} {d.message}
            </div>
          ))}
        </div>
      )}
      {message !== null && <div className="pending-message">{message}</div>}
      {isDiffOpen && (
        <pre className="pending-diff" data-testid="pending-diff">
          {pending.diff
            .filter((line) => line.kind !== 'same')
            .map((line) => `${line.kind === 'added' ? '+' : '-'} ${line.text}`)
            .join('\n')}
        </pre>
      )}
    </div>
  );
}
