import { useEffect, useState } from 'react';
import { useStore } from 'zustand';

import type { SubjectMatch } from '../../../../preload/contract';
import { describeError, invoke } from '../../api';
import { appStore } from '../../state/app-store';
import { fireStore } from '../../state/fire-store';
import { timelineStore } from '../../state/timeline-store';

function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Publishes a hand-edited event and says which applied hooks get it. */
export function TestFire(): React.JSX.Element {
  const topic = useStore(fireStore, (state) => state.topic);
  const payload = useStore(fireStore, (state) => state.payload);
  const [receivers, setReceivers] = useState<SubjectMatch | null>(null);
  const [firedId, setFiredId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const problem = jsonProblem(payload);

  useEffect(() => {
    const timer = setTimeout(() => {
      invoke('match:test', { mode: 'config', subjects: [topic] })
        .then((r) => setReceivers(r.results[0] ?? null))
        .catch(() => setReceivers(null));
    }, 200);
    return () => clearTimeout(timer);
  }, [topic]);

  const fire = async () => {
    setError(null);
    try {
      const { id } = await invoke('events:publish', {
        topic,
        payloadJson: payload,
      });
      setFiredId(id);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <div className="test-fire" data-testid="test-fire">
      <label className="field wide">
        <span>Topic</span>
        <input
          id="fire-topic"
          value={topic}
          spellCheck={false}
          onChange={(event) =>
            fireStore.getState().setTopic(event.target.value)
          }
        />
      </label>
      <label className="field wide">
        <span>Payload (JSON)</span>
        <textarea
          className="mono"
          rows={8}
          value={payload}
          spellCheck={false}
          onChange={(event) =>
            fireStore.getState().setPayload(event.target.value)
          }
          aria-invalid={problem !== null}
        />
      </label>
      {problem !== null && (
        <p className="bad small">Payload is not JSON: {problem}</p>
      )}
      <p className="muted small">
        {receivers === null
          ? 'Apply a config to see which hooks receive this topic.'
          : receivers.verdict === 'invalid'
            ? `Not a valid topic: ${receivers.reason}`
            : (receivers.hooks ?? []).length === 0
              ? 'No applied hook receives this topic; it is still recorded.'
              : `Applied hooks that receive it: ${receivers.hooks!.join(', ')}`}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={problem !== null}
          onClick={() => void fire()}
          data-testid="fire"
        >
          Publish event
        </button>
        {firedId !== null && (
          <button
            type="button"
            className="linkish"
            onClick={() => {
              timelineStore.getState().reveal(firedId);
              appStore.getState().setView('timeline');
            }}
            data-testid="fired-id"
          >
            Published as {firedId} → timeline
          </button>
        )}
      </div>
      {error !== null && (
        <p className="bad" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
