import { isReserved, parsePattern, parseSubject } from './subject';

/**
 * Subscriptions of one node of the trie, flattened as `seq, value, seq,
 * value…` in ascending `seq`: one array instead of an object per
 * subscription keeps the index small (DESIGN §3.3 subscriptions).
 */
type Entries = unknown[];

/** One token of a pattern; its children are the tokens that may follow. */
class TrieNode {
  /** The token this node stands for ('*' for a star child). */
  readonly token: string;
  /** Literal children: none, the only one, or a map once there are two. */
  kids: TrieNode | Map<string, TrieNode> | undefined = undefined;
  /** The child for a `*` token. */
  star: TrieNode | undefined = undefined;
  /** Patterns that end at this node. */
  ends: Entries | undefined = undefined;
  /** Patterns that end with a `>` right after this node. */
  tails: Entries | undefined = undefined;

  constructor(token: string) {
    this.token = token;
  }

  literal(token: string): TrieNode | undefined {
    const kids = this.kids;
    if (kids === undefined || kids instanceof Map) {
      return kids?.get(token);
    }
    return kids.token === token ? kids : undefined;
  }

  find(token: string): TrieNode | undefined {
    return token === '*' ? this.star : this.literal(token);
  }

  /** Adds a child for a token that has none yet. */
  attach(token: string): TrieNode {
    const created = new TrieNode(token);
    const kids = this.kids;
    if (token === '*') {
      this.star = created;
    } else if (kids === undefined) {
      this.kids = created;
    } else if (kids instanceof Map) {
      kids.set(token, created);
    } else {
      this.kids = new Map([
        [kids.token, kids],
        [token, created],
      ]);
    }
    return created;
  }

  drop(node: TrieNode): void {
    if (this.star === node) {
      this.star = undefined;
      return;
    }
    const kids = this.kids;
    if (!(kids instanceof Map)) {
      this.kids = undefined;
      return;
    }
    kids.delete(node.token);
    if (kids.size === 1) {
      this.kids = kids.values().next().value;
    }
  }

  isEmpty(): boolean {
    return (
      this.kids === undefined &&
      this.star === undefined &&
      this.ends === undefined &&
      this.tails === undefined
    );
  }
}

function indexOfValue(entries: Entries, value: unknown): number {
  for (let i = 1; i < entries.length; i += 2) {
    if (entries[i] === value) {
      return i - 1;
    }
  }
  return -1;
}

/**
 * Subscriptions by pattern, matched against subjects through a token trie
 * with separate `*` and `>` branches. Matching walks only the branches
 * the subject's tokens select (per level, the literal child and the `*`
 * child, and collects `>` lists on the way), so its cost depends on the
 * subject's depth and on how many entries match, never on how many entries
 * there are.
 *
 * An entry is a (pattern, value) pair; values are compared with `===`. The
 * same value under two patterns is two entries, and is returned twice by a
 * subject both match. Matching follows {@link matchSubject}, including the
 * rule that a leading wildcard never matches a reserved (`$`) subject.
 */
export class SubjectIndex<T> {
  private readonly root = new TrieNode('');
  private sequence = 0;
  private count = 0;
  private nodes = 0;

  /** How many (pattern, value) entries the index holds. */
  get size(): number {
    return this.count;
  }

  /** How many trie nodes below the root it keeps (memory accounting). */
  get nodeCount(): number {
    return this.nodes;
  }

  /**
   * Adds an entry. It is stamped with the next insertion sequence, which
   * fixes its place in {@link SubjectIndex.match} results.
   *
   * @returns false when the same (pattern, value) is already present (the
   *   index is left as it was, original sequence kept), true otherwise.
   * @throws {@link InvalidPatternError} for a malformed pattern.
   */
  add(pattern: string, value: T): boolean {
    const tokens = parsePattern(pattern);
    const last = tokens.length - 1;
    const isTail = tokens[last] === '>';
    let node = this.root;
    for (let i = 0; i < (isTail ? last : tokens.length); i++) {
      const token = tokens[i] as string;
      let next = node.find(token);
      if (next === undefined) {
        next = node.attach(token);
        this.nodes += 1;
      }
      node = next;
    }

    const entries = isTail ? node.tails : node.ends;
    if (entries !== undefined && indexOfValue(entries, value) !== -1) {
      return false;
    }
    this.sequence += 1;
    if (entries !== undefined) {
      entries.push(this.sequence, value);
    } else if (isTail) {
      // a literal of exact size: `[]` then push reserves ~17 slots
      node.tails = [this.sequence, value];
    } else {
      node.ends = [this.sequence, value];
    }
    this.count += 1;
    return true;
  }

  /**
   * Removes an entry, and the trie nodes nothing uses any more. Its cost
   * grows with the entries that share its exact pattern.
   *
   * @returns whether the entry was present.
   * @throws {@link InvalidPatternError} for a malformed pattern.
   */
  remove(pattern: string, value: T): boolean {
    const tokens = parsePattern(pattern);
    const last = tokens.length - 1;
    const isTail = tokens[last] === '>';
    const path = [this.root];
    for (let i = 0; i < (isTail ? last : tokens.length); i++) {
      const token = tokens[i] as string;
      const parent = path[path.length - 1] as TrieNode;
      const next = parent.find(token);
      if (next === undefined) {
        return false;
      }
      path.push(next);
    }

    const node = path[path.length - 1] as TrieNode;
    const entries = isTail ? node.tails : node.ends;
    const at = entries === undefined ? -1 : indexOfValue(entries, value);
    if (entries === undefined || at === -1) {
      return false;
    }
    entries.splice(at, 2);
    if (entries.length === 0) {
      if (isTail) {
        node.tails = undefined;
      } else {
        node.ends = undefined;
      }
    }
    this.count -= 1;

    // prune from the leaf up, so removed patterns cost no memory
    for (let i = path.length - 1; i > 0; i--) {
      const child = path[i] as TrieNode;
      if (!child.isEmpty()) {
        break;
      }
      (path[i - 1] as TrieNode).drop(child);
      this.nodes -= 1;
    }
    return true;
  }

  /**
   * The values of every entry whose pattern matches the subject, ordered
   * by ascending insertion sequence (oldest entry first), so the same
   * index always answers in the same order.
   *
   * @throws {@link InvalidSubjectError} for a malformed subject.
   */
  match(subject: string): T[] {
    const tokens = parseSubject(subject);
    const found: Entries[] = [];
    this.collect(this.root, tokens, 0, isReserved(subject), found);
    if (found.length === 0) {
      return [];
    }
    if (found.length === 1) {
      return valuesOf(found[0] as Entries);
    }
    return merge(found);
  }

  private collect(
    node: TrieNode,
    tokens: string[],
    depth: number,
    isReservedRoot: boolean,
    found: Entries[],
  ): void {
    if (depth === tokens.length) {
      if (node.ends !== undefined) {
        found.push(node.ends);
      }
      return;
    }

    const next = node.literal(tokens[depth] as string);
    if (next !== undefined) {
      this.collect(next, tokens, depth + 1, false, found);
    }

    // a leading wildcard never reaches a reserved subject (see matchSubject)
    if (isReservedRoot) {
      return;
    }
    if (node.tails !== undefined) {
      found.push(node.tails);
    }
    if (node.star !== undefined) {
      this.collect(node.star, tokens, depth + 1, false, found);
    }
  }
}

function valuesOf<T>(entries: Entries): T[] {
  const values: T[] = [];
  for (let i = 1; i < entries.length; i += 2) {
    values.push(entries[i] as T);
  }
  return values;
}

// each list is already ascending by sequence: merging them pairwise, as a
// merge sort's last passes do, beats sorting the union with a comparator
function merge<T>(lists: Entries[]): T[] {
  let runs = lists;
  while (runs.length > 1) {
    const next: Entries[] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const a = runs[i] as Entries;
      const b = runs[i + 1];
      next.push(b === undefined ? a : mergeTwo(a, b));
    }
    runs = next;
  }
  return valuesOf(runs[0] as Entries);
}

function mergeTwo(a: Entries, b: Entries): Entries {
  const merged: Entries = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if ((a[i] as number) < (b[j] as number)) {
      merged.push(a[i], a[i + 1]);
      i += 2;
    } else {
      merged.push(b[j], b[j + 1]);
      j += 2;
    }
  }
  for (; i < a.length; i++) {
    merged.push(a[i]);
  }
  for (; j < b.length; j++) {
    merged.push(b[j]);
  }
  return merged;
}
