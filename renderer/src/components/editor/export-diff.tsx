import type { DiffLine } from '../../lib/line-diff';

/** A unified view of what changed since the last export. */
export function ExportDiff(props: {
  diff: DiffLine[] | null;
}): React.JSX.Element {
  const { diff } = props;
  if (diff === null) {
    return (
      <p className="muted">
        This is the first export of this workspace: nothing to compare with yet.
      </p>
    );
  }
  const changed = diff.filter((line) => line.kind !== 'same').length;
  if (changed === 0) {
    return (
      <p className="muted" data-testid="export-diff">
        Same as the last export.
      </p>
    );
  }
  return (
    <pre className="code-block diff" data-testid="export-diff">
      {hunks(diff).map((line, i) =>
        line === null ? (
          <div key={i} className="diff-skip">
            ⋯
          </div>
        ) : (
          <div key={i} className={`diff-${line.kind}`}>
            {line.kind === 'add' ? '+ ' : line.kind === 'del' ? '- ' : '  '}
            {line.text}
          </div>
        ),
      )}
    </pre>
  );
}

// the changed lines with two lines of context; null marks a gap
function hunks(diff: DiffLine[]): (DiffLine | null)[] {
  const keep = diff.map((line) => line.kind !== 'same');
  const near = diff.map((_, i) =>
    keep.slice(Math.max(0, i - 2), i + 3).some(Boolean),
  );
  const out: (DiffLine | null)[] = [];
  diff.forEach((line, i) => {
    if (near[i]) {
      out.push(line);
    } else if (out[out.length - 1] !== null) {
      out.push(null);
    }
  });
  return out;
}
