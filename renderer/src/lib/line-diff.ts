/** One line of a diff: kept, added or removed. */
export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
}

/**
 * A line diff by longest common subsequence. Exports are a few hundred
 * lines, so the quadratic table is small; past the cap the texts are
 * shown as one removal and one addition rather than freezing the UI.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > 4_000_000) {
    return [
      ...a.map((text) => ({ kind: 'del' as const, text })),
      ...b.map((text) => ({ kind: 'add' as const, text })),
    ];
  }
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? table[(i + 1) * width + j + 1]! + 1
          : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (
      j < b.length &&
      (i === a.length ||
        table[i * width + j + 1]! >= table[(i + 1) * width + j]!)
    ) {
      out.push({ kind: 'add', text: b[j]! });
      j++;
    } else {
      out.push({ kind: 'del', text: a[i]! });
      i++;
    }
  }
  return out;
}
