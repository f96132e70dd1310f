import type { Model } from './linearizability';
import { partitionBy } from './linearizability';
import { hashStore } from './store-hash';

/**
 * An operation on one key of a string store: `get` reads the key, `put`
 * replaces its value, `append` concatenates to it. A missing key reads `''`.
 */
export type KvInput =
  | { type: 'get'; key: string }
  | { type: 'put'; key: string; value: string }
  | { type: 'append'; key: string; value: string };

/**
 * What the operation returned: the string a `get` read, or a bare
 * acknowledgement of a `put` or `append`. An output whose `type` differs
 * from its input's is impossible.
 */
export type KvOutput =
  { type: 'get'; value: string } | { type: 'put' } | { type: 'append' };

/** Every key's string; keys holding `''` are left out. */
export type KvState = ReadonlyMap<string, string>;

/**
 * The get / put / append store of the `kv/*.txt` histories (see
 * `parseKvHistory`), checked key by key. Deterministic.
 */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => new Map(),
  step(state, input, output) {
    if (output !== undefined && output.type !== input.type) {
      return [];
    }
    const before = state.get(input.key) ?? '';
    if (input.type === 'get') {
      return output?.type === 'get' && output.value !== before ? [] : [state];
    }
    const after = input.type === 'put' ? input.value : before + input.value;
    if (after === before) {
      return [state];
    }
    const next = new Map(state);
    if (after === '') {
      next.delete(input.key);
    } else {
      next.set(input.key, after);
    }
    return [next];
  },
  hash: hashStore,
  partition: (ops) => partitionBy(ops, (input) => input.key),
  describeOperation(input, output) {
    const key = JSON.stringify(input.key);
    if (input.type === 'get') {
      const read = output?.type === 'get' ? JSON.stringify(output.value) : '?';
      return `get ${key} -> ${read}`;
    }
    const result = output === undefined ? '?' : 'ok';
    return `${input.type} ${key} ${JSON.stringify(input.value)} -> ${result}`;
  },
};
