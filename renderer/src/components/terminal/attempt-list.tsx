import { useStore } from 'zustand';

import { readHooks } from '../../lib/config-hooks';
import { reproCommand } from '../../lib/repro-command';
import { appStore } from '../../state/app-store';
import { editorStore } from '../../state/editor-store';
import { noticeStore } from '../../state/notice-store';
import { terminalStore, type Attempt } from '../../state/terminal-store';
import { rowById, timelineStore } from '../../state/timeline-store';

import { revealAttempt } from './terminal-reveal';

const SHOWN = 200;

function copyCommand(attempt: Attempt): void {
  const { applied, text } = editorStore.getState();
  const config = readHooks(applied?.text ?? text);
  const hook = config?.hooks.find((h) => h.name === attempt.hook);
  const row = rowById(attempt.eventId);
  const connection = appStore.getState().connection;
  const workspaceDir =
    connection.state === 'connected' ? (connection.workspace?.dir ?? '.') : '.';
  const command =
    hook === undefined || row?.kind !== 'event'
      ? undefined
      : reproCommand({
          hook,
          event: row.event,
          node: attempt.node,
          workspaceDir,
          env: config?.env ?? {},
        });
  if (command === undefined) {
    noticeStore
      .getState()
      .push(
        'warn',
        `No shell command to rebuild for ${attempt.hook} (not a shell hook, or its event is not loaded)`,
      );
    return;
  }
  terminalStore.setState({ lastCommand: command });
  navigator.clipboard?.writeText(command).then(
    () =>
      noticeStore
        .getState()
        .push(
          'info',
          'Command copied: it reruns the attempt with the same environment and directory',
        ),
    () =>
      noticeStore
        .getState()
        .push(
          'warn',
          'Clipboard refused; the command is shown under the attempts',
        ),
  );
}

/** The attempts, newest first: select one, open its event, copy a command. */
export function AttemptList(): React.JSX.Element {
  useStore(terminalStore, (state) => state.version);
  const selectedKey = useStore(terminalStore, (state) => state.selectedKey);
  const lastCommand = useStore(terminalStore, (state) => state.lastCommand);
  const attempts = terminalStore.getState().attempts.slice(-SHOWN).reverse();
  if (attempts.length === 0) {
    return (
      <div className="attempts empty small">
        No attempt yet. Apply a config with a shell hook and publish a matching
        event.
      </div>
    );
  }
  return (
    <div className="attempts">
      <ul aria-label="Attempts" data-testid="attempt-list">
        {attempts.map((a) => (
          <li
            key={a.key}
            className={a.key === selectedKey ? 'selected' : undefined}
          >
            <button
              type="button"
              className="attempt-main"
              onClick={() => revealAttempt(a.key)}
              data-testid="attempt"
              aria-current={a.key === selectedKey}
            >
              <span
                className={`dot ${a.exit === null ? 'dot-running' : a.exit.isOk ? 'dot-ok' : 'dot-bad'}`}
                aria-hidden="true"
              />
              <span className="attempt-hook">{a.hook}</span>
              <span className="mono">{a.eventId}</span>
              <span className="muted">
                #{a.attempt} n{a.node}
              </span>
              <span className="muted">
                {a.exit === null
                  ? 'running'
                  : `${a.exit.code ?? (a.exit.isOk ? 'ok' : 'fail')} · ${Math.round(a.exit.durationMs ?? 0)}ms`}
              </span>
            </button>
            <button
              type="button"
              className="ghost small"
              onClick={() => {
                timelineStore.getState().reveal(a.eventId);
                appStore.getState().setView('timeline');
              }}
              aria-label={`Open event ${a.eventId} in the timeline`}
              data-testid="attempt-open-event"
            >
              event
            </button>
            <button
              type="button"
              className="ghost small"
              onClick={() => copyCommand(a)}
              aria-label={`Copy attempt ${a.attempt} of ${a.hook} as a command`}
            >
              copy cmd
            </button>
          </li>
        ))}
      </ul>
      {lastCommand !== null && (
        <pre className="code-block small repro" data-testid="repro-command">
          {lastCommand}
        </pre>
      )}
    </div>
  );
}
