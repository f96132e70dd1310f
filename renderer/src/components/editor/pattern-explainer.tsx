import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';

import type { SubjectMatch } from '../../../../preload/contract';
import { describeError, invoke } from '../../api';
import { analysePatterns, readHooks } from '../../lib/config-hooks';
import { editorStore } from '../../state/editor-store';

const KIND_LABEL = {
  never: 'never matches',
  duplicate: 'duplicate',
  shadowed: 'contained',
  overlap: 'overlap',
};

/**
 * Type a topic: which hooks of the editor's config receive it. Below,
 * how the config's patterns relate: overlaps, containment, patterns
 * that can never match.
 */
export function PatternExplainer(): React.JSX.Element {
  const text = useStore(editorStore, (state) => state.text);
  const [topic, setTopic] = useState('orders.created');
  const [result, setResult] = useState<SubjectMatch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const parsed = useMemo(() => readHooks(text), [text]);
  const findings = useMemo(
    () => analysePatterns(parsed?.hooks ?? []),
    [parsed],
  );

  useEffect(() => {
    if (topic.trim() === '') {
      setResult(null);
      return;
    }
    const timer = setTimeout(() => {
      invoke('match:test', { mode: 'config', text, subjects: [topic.trim()] })
        .then((response) => {
          setResult(response.results[0] ?? null);
          setError(null);
        })
        .catch((e: unknown) => setError(describeError(e)));
    }, 200);
    return () => clearTimeout(timer);
  }, [topic, text]);

  return (
    <div className="explainer" data-testid="pattern-explainer">
      <label className="field wide">
        <span>Topic</span>
        <input
          id="explain-topic"
          value={topic}
          onChange={(event) => setTopic(event.target.value)}
          placeholder="orders.created"
          spellCheck={false}
        />
      </label>
      <div
        className="explain-result"
        role="status"
        data-testid="explain-result"
      >
        {error !== null ? (
          <span className="bad">{error}</span>
        ) : result === null ? (
          <span className="muted">
            Type a topic to see which hooks receive it.
          </span>
        ) : result.verdict === 'invalid' ? (
          <span className="bad">Not a valid topic: {result.reason}</span>
        ) : (result.hooks ?? []).length === 0 ? (
          <span className="muted">
            No enabled hook receives {result.subject}.
          </span>
        ) : (
          <span>
            Received by{' '}
            {result.hooks!.map((hook, i) => (
              <span key={hook}>
                {i > 0 ? ', ' : ''}
                <strong>{hook}</strong>
              </span>
            ))}
          </span>
        )}
      </div>
      <h3 className="sub-title">Patterns of this config</h3>
      {parsed === undefined ? (
        <p className="muted">
          The text does not parse; fix it to compare patterns.
        </p>
      ) : findings.length === 0 ? (
        <p className="muted">No overlaps, and every pattern can match.</p>
      ) : (
        <ul className="findings" data-testid="pattern-findings">
          {findings.map((f, i) => (
            <li key={i} className={`finding finding-${f.kind}`}>
              <span className="chip">{KIND_LABEL[f.kind]}</span>
              <strong>{f.hook}</strong> {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
