import { useMemo, useState } from 'react';
import { useStore } from 'zustand';

import { describeError, invoke } from '../../api';
import { matchesSubject } from '../../lib/subject-pattern';
import { hooksStore } from '../../state/hooks-store';
import { noticeStore } from '../../state/notice-store';
import { timelineStore } from '../../state/timeline-store';

/**
 * Replays a range of the log to a hook: the events in the range that
 * the hook's pattern matches are published again, marked as replays.
 */
export function ReplayPanel(props: { onClose(): void }): React.JSX.Element {
  const hooks = useStore(hooksStore, (state) => state.list?.hooks ?? []);
  const version = useStore(timelineStore, (state) => state.version);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [hook, setHook] = useState('');
  const [isRunning, setRunning] = useState(false);
  const target = hooks.find((h) => h.name === hook);

  const events = useMemo(() => {
    void version;
    if (target === undefined) {
      return [];
    }
    const lo = Number(from) || 0;
    const hi = to === '' ? Infinity : Number(to);
    return timelineStore
      .getState()
      .rows.flatMap((row) =>
        row.kind === 'event' &&
        row.index >= lo &&
        row.index <= hi &&
        matchesSubject(target.pattern, row.event.topic)
          ? [row.event]
          : [],
      );
  }, [from, to, target, version]);
  const others =
    target === undefined
      ? []
      : hooks.filter(
          (h) =>
            h.name !== target.name &&
            h.enabled &&
            events.some((e) => matchesSubject(h.pattern, e.topic)),
        );

  const replay = async () => {
    setRunning(true);
    let done = 0;
    try {
      for (const event of events) {
        await invoke('events:publish', {
          topic: event.topic,
          payload: event.payload,
          headers: {
            ...event.headers,
            'aspen-replay-of': event.id,
            'aspen-replay-for': hook,
          },
        });
        done++;
      }
      noticeStore.getState().push('info', `Replayed ${done} events to ${hook}`);
      props.onClose();
    } catch (error) {
      noticeStore
        .getState()
        .push('error', `Replay stopped after ${done}: ${describeError(error)}`);
    } finally {
      setRunning(false);
    }
  };

  return (
    <form
      className="replay card"
      onSubmit={(e) => {
        e.preventDefault();
        void replay();
      }}
      aria-label="Replay a range"
    >
      <label className="field">
        <span>From index</span>
        <input
          type="number"
          min={0}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
      </label>
      <label className="field">
        <span>To index</span>
        <input
          type="number"
          min={0}
          value={to}
          placeholder="end"
          onChange={(e) => setTo(e.target.value)}
        />
      </label>
      <label className="field">
        <span>To hook</span>
        <select value={hook} onChange={(e) => setHook(e.target.value)} required>
          <option value="">choose…</option>
          {hooks.map((h) => (
            <option key={h.name} value={h.name}>
              {h.name} ({h.pattern})
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        className="primary"
        disabled={isRunning || events.length === 0}
      >
        {isRunning ? 'Replaying…' : `Replay ${events.length} events`}
      </button>
      <button type="button" className="ghost" onClick={props.onClose}>
        Cancel
      </button>
      {others.length > 0 && (
        <p className="hint small">
          The copies are new events: {others.map((h) => h.name).join(', ')}{' '}
          receive them too.
        </p>
      )}
    </form>
  );
}
