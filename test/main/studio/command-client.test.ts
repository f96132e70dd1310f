// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { decodeEntry } from '../../../engine/state/envelope';
import { AspenStateMachine } from '../../../engine/state/machine';
import { AspenError } from '../../../engine/util/errors';
import {
  CommandClient,
  type Proposer,
} from '../../../main/studio/command-client';

/**
 * A one-replica log in front of a real state machine: each proposal is
 * appended and applied; `unknownAfterApply` makes the next proposals apply
 * and then report OUTCOME_UNKNOWN, as a leader lost mid-commit would.
 */
class OneReplicaLog implements Proposer {
  readonly machine = new AspenStateMachine();
  readonly entries: Uint8Array[] = [];
  unknownAfterApply = 0;

  async propose(data: Uint8Array): Promise<unknown> {
    this.entries.push(data);
    const index = this.entries.length;
    const result = this.machine.apply({ index, term: 1, type: 'normal', data });
    if (this.unknownAfterApply > 0) {
      this.unknownAfterApply -= 1;
      throw new AspenError('OUTCOME_UNKNOWN', 'outcome unknown: leader lost');
    }
    return result;
  }
}

describe('CommandClient', () => {
  it('applies a command once when its first attempt ends OUTCOME_UNKNOWN', async () => {
    const log = new OneReplicaLog();
    const client = new CommandClient(log, { clusterNow: () => 1000 });
    log.unknownAfterApply = 2;
    const result = await client.propose({ t: 'kv.put', key: 'a', value: '1' });
    expect(result).toEqual({ ok: true, isCreate: true });
    expect(log.entries).toHaveLength(3);
    expect(log.machine.get('a')?.version).toBe(1);
  });

  it('stamps cluster time, a random draw and its session on every entry', async () => {
    const log = new OneReplicaLog();
    const client = new CommandClient(log, {
      clusterNow: () => 1234.7,
      clientId: 'studio-test',
    });
    await client.propose({ t: 'publish', topic: 'a.b', payload: 1 });
    await client.propose({ t: 'publish', topic: 'a.b', payload: 2 });
    const envelopes = log.entries.map((data, i) => {
      const decoded = decodeEntry({
        index: i + 1,
        term: 1,
        type: 'normal',
        data,
      });
      return decoded.ok ? decoded.envelope : undefined;
    });
    expect(envelopes.map((e) => [e?.time, e?.client, e?.seq])).toEqual([
      [1234, 'studio-test', 1],
      [1234, 'studio-test', 2],
    ]);
    expect(envelopes.every((e) => Number.isInteger(e?.random))).toBe(true);
  });

  it('throws a refused command as an error with its code', async () => {
    const log = new OneReplicaLog();
    const client = new CommandClient(log, { clusterNow: () => 1000 });
    const refused = client.propose({ t: 'hooks.config', version: 5, text: '' });
    await expect(refused).rejects.toMatchObject({ code: 'CONFIG_CONFLICT' });
  });

  it('keeps at most maxInFlight commands in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const slow: Proposer = {
      propose: () =>
        new Promise((resolve) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          release.push(() => {
            inFlight -= 1;
            resolve({ ok: true });
          });
        }),
    };
    const client = new CommandClient(slow, {
      clusterNow: () => 0,
      maxInFlight: 2,
    });
    let done = 0;
    const all = Array.from({ length: 5 }, () =>
      client.propose({ t: 'kv.delete', key: 'k' }).then(() => (done += 1)),
    );
    while (done < all.length) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    expect(most).toBe(2);
  });
});
