import type { StateMachine } from '../../engine/node/state-machine';
import type { Entry } from '../../engine/raft/types';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A put of `value` under `key`, as the bytes a test proposes. */
export function putCommand(key: string, value: string): Uint8Array {
  return encoder.encode(JSON.stringify({ key, value }));
}

/**
 * A small real state machine for Raft-level tests: a string map fed by
 * JSON puts, plus the count of entries of each type it applied.
 */
export class TestKvMachine implements StateMachine {
  values = new Map<string, string>();
  applied = { normal: 0, config: 0, leader: 0 };
  lastIndex = 0;

  apply(entry: Entry): unknown {
    this.lastIndex = entry.index;
    this.applied[entry.type] += 1;
    if (entry.type !== 'normal' || entry.data.length === 0) {
      return undefined;
    }
    const { key, value } = JSON.parse(decoder.decode(entry.data)) as {
      key: string;
      value: string;
    };
    this.values.set(key, value);
    return { index: entry.index };
  }

  snapshot(): Uint8Array {
    return encoder.encode(JSON.stringify([...this.values]));
  }

  restore(data: Uint8Array): void {
    this.values =
      data.length === 0
        ? new Map()
        : new Map(JSON.parse(decoder.decode(data)) as [string, string][]);
  }
}
