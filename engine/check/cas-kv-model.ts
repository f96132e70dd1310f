import type { Model } from './linearizability';
import { partitionBy } from './linearizability';
import type {
  RegisterInput,
  RegisterOutput,
  RegisterValue,
} from './register-model';
import { describeRegisterOperation, stepRegister } from './register-model';
import { hashStore } from './store-hash';

/**
 * An operation on one key of a key-value store: a register operation plus
 * the key. A missing key reads `null`, a `cas` from `null` creates the key,
 * and writing `null` removes it. For example
 * `{ type: 'cas', key: 'k1', from: 'c1-4', to: 'c2-7' }`.
 *
 * Give every write a value no other write uses (say client and sequence):
 * the model does not need it, but then a read names the one write it saw,
 * which keeps the search small and the reports readable.
 */
export type CasKvInput = RegisterInput & { key: string };

/**
 * What the operation returned: `{ type: 'read', value }` with the value read
 * (`null` when the key was missing), `{ type: 'write' }`, or
 * `{ type: 'cas', ok }` where `ok: false` means the key certainly held
 * something other than `from` and nothing changed. An operation that timed
 * out has no output and no return time (an unknown outcome).
 */
export type CasKvOutput = RegisterOutput;

/** Every key's value; missing keys are absent, never mapped to `null`. */
export type CasKvState = ReadonlyMap<string, Exclude<RegisterValue, null>>;

/**
 * Read / write / cas on independent keys, checked key by key: the history
 * shape the Raft simulator's client workload records. Deterministic.
 */
export const casKvModel: Model<CasKvState, CasKvInput, CasKvOutput> = {
  init: () => new Map(),
  step(state, input, output) {
    const before = state.get(input.key) ?? null;
    return stepRegister(before, input, output).map((after) => {
      if (after === before) {
        return state;
      }
      const next = new Map(state);
      if (after === null) {
        next.delete(input.key);
      } else {
        next.set(input.key, after);
      }
      return next;
    });
  },
  hash: hashStore,
  partition: (ops) => partitionBy(ops, (input) => input.key),
  describeOperation: (input, output) =>
    `${JSON.stringify(input.key)}: ${describeRegisterOperation(input, output)}`,
};
