import { useEffect } from 'react';
import { useStore } from 'zustand';

import { hooksPoller, hooksStore } from '../../state/hooks-store';
import { appStore } from '../../state/app-store';
import { timelineStore } from '../../state/timeline-store';

const ms = (value: number | null) =>
  value === null ? '–' : `${Math.round(value)}`;

/** The applied hooks with their live metrics, polled while shown. */
export function HooksList(): React.JSX.Element {
  const list = useStore(hooksStore, (state) => state.list);
  const error = useStore(hooksStore, (state) => state.error);
  useEffect(() => hooksPoller.acquire(), []);

  if (list === null) {
    return <p className="empty">{error ?? 'Loading hooks…'}</p>;
  }
  if (list.configVersion === null) {
    return (
      <p className="empty">
        No config is applied yet. Edit hooks.toml on the left and press Apply
        (Ctrl+S): the hooks it defines are listed here with live metrics.
      </p>
    );
  }
  const showEvents = (hook: string) => {
    timelineStore.getState().setFilter({ hook });
    appStore.getState().setView('timeline');
  };
  return (
    <div>
      {!list.isDispatching && (
        <p className="banner banner-warn" role="status">
          No hook dispatcher runs on this cluster: events are recorded but no
          handler runs, so metrics stay empty.
        </p>
      )}
      <table className="grid hooks-table" data-testid="hooks-table">
        <thead>
          <tr>
            <th scope="col">Hook</th>
            <th scope="col">Pattern</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Matched
            </th>
            <th scope="col" className="num">
              OK
            </th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col" className="num">
              Retried
            </th>
            <th scope="col" className="num">
              Dropped
            </th>
            <th scope="col" className="num">
              DLQ
            </th>
            <th scope="col" className="num">
              p50 ms
            </th>
            <th scope="col" className="num">
              p99 ms
            </th>
          </tr>
        </thead>
        <tbody>
          {list.hooks.map((hook) => {
            const m = hook.metrics;
            const dropped =
              m === null
                ? null
                : Object.values(m.dropped).reduce((a, b) => a + b, 0);
            return (
              <tr
                key={hook.name}
                className={hook.enabled ? undefined : 'disabled'}
              >
                <td>
                  <button
                    type="button"
                    className="linkish"
                    onClick={() => showEvents(hook.name)}
                    title="Show the events it receives"
                  >
                    {hook.name}
                  </button>
                </td>
                <td className="mono">{hook.pattern}</td>
                <td>
                  {hook.type} · {hook.executionMode}
                  {hook.enabled ? '' : ' · off'}
                </td>
                <td className="num">{m?.matched ?? '–'}</td>
                <td className="num good">{m?.succeeded ?? '–'}</td>
                <td
                  className={`num ${m !== null && m.failed > 0 ? 'bad' : ''}`}
                >
                  {m?.failed ?? '–'}
                </td>
                <td className="num">{m?.retried ?? '–'}</td>
                <td className="num">{dropped ?? '–'}</td>
                <td
                  className={`num ${m !== null && m.deadLettered > 0 ? 'bad' : ''}`}
                >
                  {m?.deadLettered ?? '–'}
                </td>
                <td className="num">{ms(m?.latencyP50Ms ?? null)}</td>
                <td className="num">{ms(m?.latencyP99Ms ?? null)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
