/**
 * NATS-style subject patterns, as the hooks and the timeline filter use
 * them: `*` is one token, `>` one or more trailing tokens (last only), and
 * subjects starting with `$` are never matched by a leading wildcard. The
 * renderer needs this locally to filter 100,000 rows without a round trip
 * and to compare patterns with each other; the backend stays the judge of
 * validity (its diagnostics are what the editor shows).
 */

function hasControl(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

/** Why a pattern is malformed, or undefined when it is well formed. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern === '') {
    return 'a pattern cannot be empty';
  }
  const tokens = pattern.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '') {
      return `token ${i + 1} is empty`;
    }
    if (/\s/.test(token) || hasControl(token)) {
      return `token ${i + 1} contains whitespace or a control character`;
    }
    if (token === '>' && i !== tokens.length - 1) {
      return `'>' must be the last token`;
    }
    if (token.length > 1 && /[*>]/.test(token)) {
      return `'${token}': wildcards must stand alone in a token`;
    }
  }
  return undefined;
}

function isWildcard(token: string | undefined): boolean {
  return token === '*' || token === '>';
}

function isReserved(token: string | undefined): boolean {
  return token !== undefined && token.startsWith('$');
}

/** Whether `subject` matches `pattern` (both assumed well formed). */
export function matchesSubject(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  if (isReserved(s[0]) && isWildcard(p[0])) {
    return false;
  }
  for (let i = 0; i < p.length; i++) {
    const token = p[i];
    if (token === '>') {
      return s.length > i;
    }
    if (i >= s.length || (token !== '*' && token !== s[i])) {
      return false;
    }
  }
  return p.length === s.length;
}

/**
 * A subject both patterns match, or undefined when no subject can: the
 * witness the explainer shows for an overlap.
 */
export function overlapWitness(a: string, b: string): string | undefined {
  const p = a.split('.');
  const q = b.split('.');
  const leadsWild = isWildcard(p[0]) || isWildcard(q[0]);
  if (leadsWild && (isReserved(p[0]) || isReserved(q[0]))) {
    return undefined;
  }
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const x = p[i];
    const y = q[i];
    if (x === '>' || y === '>') {
      const other = x === '>' ? q : p;
      if (i >= other.length) {
        return undefined;
      }
      const rest = other.slice(i).map((t) => (isWildcard(t) ? 'x' : t));
      return [...out, ...rest].join('.');
    }
    if (x === undefined || y === undefined) {
      return x === y ? out.join('.') : undefined;
    }
    if (x !== '*' && y !== '*' && x !== y) {
      return undefined;
    }
    out.push(x !== '*' ? x : y !== '*' ? y : 'x');
  }
}

/** Whether every subject `inner` matches is matched by `outer` too. */
export function covers(outer: string, inner: string): boolean {
  const p = outer.split('.');
  const q = inner.split('.');
  if (isWildcard(p[0]) && isReserved(q[0])) {
    return false;
  }
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    const y = q[i];
    if (x === '>') {
      return y !== undefined;
    }
    if (y === undefined || y === '>') {
      return false;
    }
    if (x !== '*' && (y === '*' || x !== y)) {
      return false;
    }
  }
  return p.length === q.length;
}

/**
 * The hook topics the studio's cluster emits on its own (KV and cluster
 * changes). A pattern in the `hooks.` namespace that matches none of
 * them can never fire in the studio.
 */
export const STUDIO_HOOK_TOPICS: readonly string[] = [
  'hooks.kv.write_committed',
  'hooks.kv.delete_committed',
  'hooks.kv.ttl_expired',
  'hooks.cluster.leader_elected',
  'hooks.cluster.membership_changed',
];
