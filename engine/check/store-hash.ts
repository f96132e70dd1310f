// states are immutable, so a store's hash never changes; reads hand the
// same store back and would otherwise hash it again on every step
const hashes = new WeakMap<ReadonlyMap<string, unknown>, string>();

/**
 * A hash of a key-value store that does not depend on insertion order,
 * remembered per store. The store must never change after it is hashed.
 */
export function hashStore(store: ReadonlyMap<string, unknown>): string {
  let hash = hashes.get(store);
  if (hash === undefined) {
    const keys = [...store.keys()].sort();
    hash = JSON.stringify(keys.map((key) => [key, store.get(key)]));
    hashes.set(store, hash);
  }
  return hash;
}
