import type { DiffLine } from '../../preload/contract';

/** Most edits a diff looks for before it settles for "replace all". */
const MAX_EDITS = 1000;

type Step = 'same' | 'added' | 'removed';

/**
 * A whole-file line diff from `before` to `after`: every line of both, in
 * order, each marked same, added or removed, with its line numbers. It is
 * a shortest edit script (Myers' greedy algorithm) over what is left once
 * the common first and last lines are set aside; when that needs more
 * than `maxEdits` edits the middle is shown as removed then added, which
 * is still correct, only longer.
 */
export function diffLines(
  before: string,
  after: string,
  maxEdits = MAX_EDITS,
): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    head++;
  }
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const middle = shortestEdit(midA, midB, maxEdits) ?? [
    ...midA.map((): Step => 'removed'),
    ...midB.map((): Step => 'added'),
  ];
  const steps: Step[] = [
    ...new Array<Step>(head).fill('same'),
    ...middle,
    ...new Array<Step>(tail).fill('same'),
  ];
  return render(steps, a, b);
}

/** Lines of a text; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

function render(steps: Step[], a: string[], b: string[]): DiffLine[] {
  const lines: DiffLine[] = [];
  let x = 0;
  let y = 0;
  for (const kind of steps) {
    if (kind === 'same') {
      lines.push({ kind, text: b[y]!, oldLine: x + 1, newLine: y + 1 });
      x++;
      y++;
    } else if (kind === 'removed') {
      lines.push({ kind, text: a[x]!, oldLine: x + 1, newLine: null });
      x++;
    } else {
      lines.push({ kind, text: b[y]!, oldLine: null, newLine: y + 1 });
      y++;
    }
  }
  return lines;
}

/**
 * Myers' O(ND) search: `reach[k]` is the furthest x reached on diagonal
 * k = x − y with d edits. A copy is kept per d to walk the path back.
 */
function shortestEdit(
  a: string[],
  b: string[],
  maxEdits: number,
): Step[] | undefined {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxEdits);
  const offset = limit + 1;
  const reach = new Int32Array(2 * limit + 3);
  const history: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    history.push(reach.slice());
    for (let k = -d; k <= d; k += 2) {
      const isDown =
        k === -d ||
        (k !== d && reach[offset + k - 1]! < reach[offset + k + 1]!);
      let x = isDown ? reach[offset + k + 1]! : reach[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      reach[offset + k] = x;
      if (x >= n && y >= m) {
        return walkBack(history, offset, n, m);
      }
    }
  }
  return undefined;
}

function walkBack(
  history: Int32Array[],
  offset: number,
  n: number,
  m: number,
): Step[] {
  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = history.length - 1; d >= 0; d--) {
    const reach = history[d]!;
    const k = x - y;
    const isDown =
      k === -d || (k !== d && reach[offset + k - 1]! < reach[offset + k + 1]!);
    const prevK = isDown ? k + 1 : k - 1;
    const prevX = reach[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      steps.push('same');
      x--;
      y--;
    }
    if (d > 0) {
      steps.push(isDown ? 'added' : 'removed');
    }
    x = prevX;
    y = prevY;
  }
  return steps.reverse();
}
