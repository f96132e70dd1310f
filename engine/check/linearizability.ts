import { BugError } from '../util/errors';
import { BadHistoryError } from './errors';
import { searchPartition } from './search';

/**
 * One call of a client against the system under test, as observed from the
 * outside. Times are on any monotonic scale; only their order matters.
 *
 * An operation whose `return` is `undefined` has an unknown outcome (a
 * timeout, a crash, a Jepsen `:info`): it returns at +infinity and may or
 * may not have taken effect. An operation that certainly failed had no
 * effect and should be left out of the history altogether.
 */
export interface Operation<I, O> {
  /** Who issued it; used in reports only. */
  client: number;
  /** What was asked. */
  input: I;
  /** When it was called. */
  call: number;
  /**
   * What came back; ignored when the outcome is unknown. An operation that
   * returned without an output is checked as if any output were allowed.
   */
  output?: O;
  /** When it returned, or `undefined` when the outcome is unknown. */
  return?: number;
}

/**
 * A sequential specification. States are treated as immutable values: `step`
 * returns new states and never changes the one it is given.
 */
export interface Model<S, I, O> {
  /** The state before any operation. */
  init(): S;
  /**
   * The states `input` can lead to from `state` while producing `output`.
   * An empty array means the output is impossible there; several states
   * express nondeterminism. `output` is `undefined` when the outcome is
   * unknown; the model must then return at least one state, the one where
   * the operation took effect (placing the operation last covers the case
   * where it did not, since nothing observes it afterwards).
   */
  step(state: S, input: I, output: O | undefined): readonly S[];
  /** A string equal for two states exactly when they are equivalent. */
  hash(state: S): string;
  /**
   * Splits a history into independent parts, each checked on its own
   * (P-compositionality: a history is linearizable when every part is).
   * Every operation must land in exactly one part.
   */
  partition?(ops: readonly Operation<I, O>[]): Operation<I, O>[][];
  /** One line naming an operation, for reports. */
  describeOperation?(input: I, output: O | undefined): string;
}

/** What the checker concluded; `unknown` means it ran out of budget. */
export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown';

/** Limits and switches for {@link checkOperations}. */
export interface CheckOptions {
  /**
   * Wall-clock budget for the whole check, measured with `now`.
   * @defaultValue 10000
   */
  budgetMs?: number;
  /**
   * Budget in search steps, summed over the partitions; unlike `budgetMs`
   * it gives the same answer on every run.
   * @defaultValue Infinity
   */
  maxSteps?: number;
  /**
   * Milliseconds on a monotonic scale.
   * @defaultValue `() => performance.now()`
   */
  now?: () => number;
  /**
   * Whether to use the model's `partition`; turning it off is only useful
   * to compare the two.
   * @defaultValue true
   */
  partition?: boolean;
}

/** The outcome of {@link checkOperations}. */
export interface CheckResult<I, O> {
  /**
   * `not-linearizable` when any partition is; otherwise `unknown` when the
   * budget ran out for any partition; otherwise `linearizable`.
   */
  verdict: Verdict;
  /** How many non-empty partitions the history had. */
  partitions: number;
  /**
   * How many partitions ran out of budget. The check stops at the first
   * failing partition, so this counts only those checked before it.
   */
  undecided: number;
  /** Search steps taken over all partitions. */
  steps: number;
  /** The operations of the smallest failing partition, for a report. */
  failing?: Operation<I, O>[];
  /**
   * Where the search of that partition got furthest: the longest order of
   * its operations it could linearize, and the operation that could not
   * come next (its return arrived with no pending call able to precede it).
   */
  deadEnd?: { prefix: Operation<I, O>[]; stuck: Operation<I, O> };
}

const DEFAULT_BUDGET_MS = 10_000;

/**
 * Decides whether a concurrent history is linearizable with respect to
 * `model`: Wing and Gong's backtracking search over call and return events,
 * pruned with Lowe's cache of (linearized set, state), run on each
 * partition the model defines. Deterministic apart from when the time
 * budget runs out.
 *
 * @throws {@link BadHistoryError} when an operation returns before its call
 * or carries a time that is not a number.
 * @throws `BugError` when the model's `partition` loses or repeats an
 * operation.
 */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult<I, O> {
  ops.forEach(validateOperation);
  const now = options.now ?? (() => performance.now());
  const deadline = now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  const maxSteps = options.maxSteps ?? Infinity;

  const split =
    options.partition !== false && model.partition !== undefined
      ? model.partition(ops)
      : [ops.slice()];
  const parts = split.filter((part) => part.length > 0);
  checkCoverage(ops, parts);

  // smallest first, so the first failure found is the smallest one
  const order = parts
    .map((part, index) => ({ part, index }))
    .sort((a, b) => a.part.length - b.part.length || a.index - b.index);

  let steps = 0;
  let undecided = 0;
  for (const { part } of order) {
    const result = searchPartition(model, part, {
      now,
      deadline,
      maxSteps: maxSteps - steps,
    });
    steps += result.steps;
    if (result.verdict === 'not-linearizable') {
      return {
        verdict: 'not-linearizable',
        partitions: parts.length,
        undecided,
        steps,
        failing: part,
        deadEnd: result.deadEnd && {
          prefix: result.deadEnd.prefix.map((index) => part[index]!),
          stuck: part[result.deadEnd.stuck]!,
        },
      };
    }
    if (result.verdict === 'unknown') {
      undecided += 1;
    }
  }
  return {
    verdict: undecided > 0 ? 'unknown' : 'linearizable',
    partitions: parts.length,
    undecided,
    steps,
  };
}

/**
 * One line for an operation: client, interval and what the model says it
 * did, for reports such as the `failing` partition.
 */
export function formatOperation<S, I, O>(
  model: Model<S, I, O>,
  op: Operation<I, O>,
): string {
  const known = op.return !== undefined;
  const output = known ? op.output : undefined;
  const what =
    model.describeOperation?.(op.input, output) ??
    `${JSON.stringify(op.input)} -> ${known ? JSON.stringify(output) : '?'}`;
  const end = known ? String(op.return) : 'inf';
  return `client ${op.client} [${op.call}, ${end}] ${what}`;
}

function validateOperation<I, O>(op: Operation<I, O>, index: number): void {
  if (!Number.isFinite(op.call)) {
    throw new BadHistoryError(`operation ${index}: call time is not finite`);
  }
  if (op.return === undefined) {
    return;
  }
  if (Number.isNaN(op.return) || op.return < op.call) {
    throw new BadHistoryError(
      `operation ${index}: returns at ${op.return}, before its call at ${op.call}`,
    );
  }
}

// a partition that drops, duplicates or invents an operation would make the
// verdict meaningless: that is a bug in the model, not in the history
function checkCoverage<I, O>(
  ops: readonly Operation<I, O>[],
  parts: readonly (readonly Operation<I, O>[])[],
): void {
  const unseen = new Set(ops);
  for (const part of parts) {
    for (const op of part) {
      if (!unseen.delete(op)) {
        throw new BugError('partition returned an operation twice or anew');
      }
    }
  }
  if (unseen.size > 0) {
    throw new BugError(`partition dropped ${unseen.size} operations`);
  }
}

/**
 * Groups operations by a key, keeping time order inside each group and the
 * order of first appearance between groups; a ready-made
 * {@link Model.partition} for models whose keys are independent.
 */
export function partitionBy<I, O>(
  ops: readonly Operation<I, O>[],
  keyOf: (input: I) => string,
): Operation<I, O>[][] {
  const groups = new Map<string, Operation<I, O>[]>();
  for (const op of ops) {
    const key = keyOf(op.input);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [op]);
    } else {
      group.push(op);
    }
  }
  return [...groups.values()];
}
