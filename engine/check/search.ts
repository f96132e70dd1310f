import { EventList, NONE } from './event-list';
import type { Model, Operation, Verdict } from './linearizability';

/** Where a partition's search must stop and give up. */
export interface SearchLimits {
  /** Milliseconds on the same scale as `deadline`. */
  now: () => number;
  /** The `now()` value after which the search answers `unknown`. */
  deadline: number;
  /** Steps after which the search answers `unknown`. */
  maxSteps: number;
}

/** The answer for one partition and the work it took. */
export interface SearchResult {
  /** What the search concluded about the partition. */
  verdict: Verdict;
  /** Calls tried plus backtracks: a deterministic measure of work. */
  steps: number;
  /** For a failing partition, where the search got furthest. */
  deadEnd?: DeadEnd;
}

/**
 * The deepest point a failed search reached: the operations it had
 * linearized there, in order, and the operation whose return it could not
 * get past (no pending call, that one included, could come next). Indexes
 * point into the partition's operations.
 */
export interface DeadEnd {
  /** Operations linearized, in linearization order. */
  prefix: number[];
  /** The operation that could not be linearized next. */
  stuck: number;
}

// the clock is read once per this many steps: a read costs far more than a
// step, and a few hundred steps take well under a millisecond
const CLOCK_EVERY = 512;

/** A set of model states with a key equal for equal sets. */
interface StateSet<S> {
  states: readonly S[];
  key: string;
}

/** What to restore when backtracking over a linearized call. */
interface Frame<S> {
  call: number;
  set: StateSet<S>;
}

/**
 * Wing and Gong's search with Lowe's cache, on one partition. At each point
 * it tries the pending calls in time order; the first return it meets whose
 * call is not yet linearized means no order of the remaining calls fits, so
 * it backtracks. A (linearized set, state) pair seen before was already
 * explored without success, so it is skipped. Nondeterministic models are
 * searched over sets of states, which keeps the search itself
 * deterministic.
 */
export function searchPartition<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  limits: SearchLimits,
): SearchResult {
  const list = new EventList(ops);
  // plain numbers rather than a typed array: String.fromCharCode.apply
  // takes them without going through an iterator
  const linearized: number[] = new Array<number>(
    Math.ceil(ops.length / 16),
  ).fill(0);
  const flip = (op: number): void => {
    linearized[op >> 4]! ^= 1 << (op & 15);
  };
  const cache = new Set<string>();
  // states get small ids so that cache keys stay short whatever the model's
  // hashes look like; the cache holds millions of keys on hard histories
  const stateIds = new Map<string, number>();
  const intern = (key: string): number => {
    let id = stateIds.get(key);
    if (id === undefined) {
      id = stateIds.size;
      stateIds.set(key, id);
    }
    return id;
  };
  const stack: Frame<S>[] = [];
  let set = makeStateSet(model, [model.init()]);
  let node = list.first();
  let steps = 0;
  let deadEnd: DeadEnd | undefined;

  while (list.first() !== NONE) {
    if (steps >= limits.maxSteps) {
      return { verdict: 'unknown', steps };
    }
    steps += 1;
    if (steps % CLOCK_EVERY === 0 && limits.now() > limits.deadline) {
      return { verdict: 'unknown', steps };
    }

    if (list.isCall(node)) {
      const op = list.opOf[node]!;
      const candidate = stepAll(model, set, ops[op]!);
      if (candidate !== undefined) {
        flip(op);
        const key = cacheKey(linearized, intern(candidate.key));
        if (!cache.has(key)) {
          cache.add(key);
          stack.push({ call: node, set });
          set = candidate;
          list.lift(node);
          node = list.first();
          continue;
        }
        flip(op);
      }
      node = list.next[node]!;
      continue;
    }

    if (deadEnd === undefined || stack.length > deadEnd.prefix.length) {
      const prefix = stack.map((frame) => list.opOf[frame.call]!);
      deadEnd = { prefix, stuck: list.opOf[node]! };
    }
    const frame = stack.pop();
    if (frame === undefined) {
      return { verdict: 'not-linearizable', steps, deadEnd };
    }
    flip(list.opOf[frame.call]!);
    set = frame.set;
    list.unlift(frame.call);
    node = list.next[frame.call]!;
  }
  return { verdict: 'linearizable', steps };
}

// arguments per String.fromCharCode call, well below engines' limits
const CHARS_PER_CALL = 8192;

// the bitset has a fixed length per partition, so the key is unambiguous
function cacheKey(linearized: number[], stateId: number): string {
  let bits = '';
  for (let at = 0; at < linearized.length; at += CHARS_PER_CALL) {
    const chunk =
      linearized.length <= CHARS_PER_CALL
        ? linearized
        : linearized.slice(at, at + CHARS_PER_CALL);
    bits += String.fromCharCode.apply(null, chunk);
  }
  return bits + String.fromCharCode(stateId & 0xffff, stateId >>> 16);
}

/** Steps every state of the set; `undefined` when none allows the output. */
function stepAll<S, I, O>(
  model: Model<S, I, O>,
  set: StateSet<S>,
  op: Operation<I, O>,
): StateSet<S> | undefined {
  const output = op.return === undefined ? undefined : op.output;
  const successors: S[] = [];
  for (const state of set.states) {
    successors.push(...model.step(state, op.input, output));
  }
  return successors.length === 0 ? undefined : makeStateSet(model, successors);
}

function makeStateSet<S, I, O>(
  model: Model<S, I, O>,
  states: readonly S[],
): StateSet<S> {
  if (states.length === 1) {
    return { states, key: `=${model.hash(states[0]!)}` };
  }

  // equal sets must get equal keys whatever order the model listed them in
  const byHash = new Map<string, S>();
  for (const state of states) {
    byHash.set(model.hash(state), state);
  }
  const hashes = [...byHash.keys()].sort();
  const key =
    hashes.length === 1 ? `=${hashes[0]!}` : `*${JSON.stringify(hashes)}`;
  return { states: hashes.map((hash) => byHash.get(hash)!), key };
}
