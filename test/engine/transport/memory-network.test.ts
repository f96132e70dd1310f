// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { SeededRng } from '../../../engine/ports/rng';
import type { Message } from '../../../engine/raft/types';
import { HOLD_BACK_MAX_MS } from '../../../engine/transport/fault-gate';
import {
  MemoryNetwork,
  type MemoryTransport,
} from '../../../engine/transport/memory-network';
import { BugError } from '../../../engine/util/errors';
import { VirtualClock } from '../../support/virtual-clock';

import { makeEntry, makeMessage } from './messages';

function setup(seed = 1) {
  const clock = new VirtualClock();
  const network = new MemoryNetwork({ clock, rng: new SeededRng(seed) });
  const inbox = new Map<number, Message[]>();
  const join = (id: number): MemoryTransport => {
    const transport = network.join(id);
    inbox.set(id, []);
    transport.onMessage((message) => inbox.get(id)?.push(message));
    return transport;
  };
  const a = join(1);
  const b = join(2);
  const received = (id: number) => (inbox.get(id) ?? []).map((m) => m.index);
  return { clock, network, a, b, join, inbox, received };
}

// a message from 1 to 2 tagged by its index
const tagged = (index: number) => makeMessage(1, 2, { index });

describe('MemoryNetwork', () => {
  describe('send()', () => {
    it('delivers only when the clock runs, in send order', () => {
      const { clock, a, received } = setup();
      a.send([tagged(1), tagged(2)]);
      a.send([tagged(3)]);
      expect(received(2)).toStrictEqual([]);
      clock.advance(0);
      expect(received(2)).toStrictEqual([1, 2, 3]);
    });

    it('gives the receiver a copy that shares nothing with the sender', () => {
      const { clock, a, inbox } = setup();
      const sent = makeMessage(1, 2, { entries: [makeEntry(1, 4)] });
      a.send([sent]);
      sent.term = 99;
      (sent.entries[0] as { data: Uint8Array }).data[0] = 0xff;
      clock.advance(0);
      const got = inbox.get(2)?.[0];
      expect(got?.term).toBe(1);
      expect(got?.entries[0]?.data).toStrictEqual(makeEntry(1, 4).data);
    });

    it('delays by the link delay times the delay scale', () => {
      const { clock, network, a, received } = setup();
      network.faults.setLink(1, 2, { delayMs: 50 });
      network.faults.delayScale = 2;
      a.send([tagged(1)]);
      clock.advance(99);
      expect(received(2)).toStrictEqual([]);
      clock.advance(1);
      expect(received(2)).toStrictEqual([1]);
    });

    it('obeys a one-way cut and counts what it dropped', () => {
      const { clock, network, a, b, received } = setup();
      network.faults.cut(1, 2);
      a.send([tagged(1)]);
      b.send([makeMessage(2, 1, { index: 7 })]);
      clock.runAll();
      expect(received(2)).toStrictEqual([]);
      expect(received(1)).toStrictEqual([7]);
      expect(a.stats()).toStrictEqual({ sent: 1, received: 1, dropped: 1 });
    });

    it('delivers a duplicated message twice, as distinct objects', () => {
      const { clock, network, a, inbox } = setup();
      network.faults.setLink(1, 2, { duplicate: 1 });
      a.send([tagged(1)]);
      clock.runAll();
      const got = inbox.get(2) ?? [];
      expect(got.map((m) => m.index)).toStrictEqual([1, 1]);
      expect(got[0]).not.toBe(got[1]);
    });

    it('holds a reordered message back behind the next one', () => {
      const { clock, network, a, received } = setup();
      network.faults.setLink(1, 2, { reorder: 1 });
      a.send([tagged(1)]);
      network.faults.heal();
      a.send([tagged(2)]);
      clock.runAll();
      expect(received(2)).toStrictEqual([2, 1]);
    });

    it('lets a held-back message go alone when nothing follows', () => {
      const { clock, network, a, received } = setup();
      network.faults.setLink(1, 2, { reorder: 1 });
      a.send([tagged(1)]);
      clock.advance(HOLD_BACK_MAX_MS - 1);
      expect(received(2)).toStrictEqual([]);
      clock.advance(1);
      expect(received(2)).toStrictEqual([1]);
    });

    it('replays the same deliveries from the same seed', () => {
      const run = (seed: number) => {
        const { clock, network, a, received } = setup(seed);
        network.faults.setLink(1, 2, { drop: 0.3, duplicate: 0.2 });
        for (let i = 1; i <= 200; i++) {
          a.send([tagged(i)]);
        }
        clock.runAll();
        return received(2);
      };
      expect(run(3)).toStrictEqual(run(3));
      expect(run(3)).not.toStrictEqual(run(4));
    });

    it('throws a BugError for a message sent in another node’s name', () => {
      const { a } = setup();
      expect(() => a.send([makeMessage(2, 1)])).toThrow(BugError);
    });
  });

  describe('close()', () => {
    it('cancels deliveries in flight and leaves no timer behind', async () => {
      const { clock, network, a, received } = setup();
      network.faults.setLink(1, 2, { delayMs: 10, reorder: 0.5 });
      for (let i = 1; i <= 20; i++) {
        a.send([tagged(i)]);
      }
      expect(clock.pending).toBeGreaterThan(0);
      await a.close();
      expect(clock.pending).toBe(0);
      clock.runAll();
      expect(received(2)).toStrictEqual([]);
    });

    it('drops messages to a closed node; its id may join again', async () => {
      const { clock, a, b, join, received } = setup();
      await b.close();
      a.send([tagged(1)]);
      clock.runAll();
      expect(a.stats().dropped).toBe(1);
      join(2);
      a.send([tagged(2)]);
      clock.runAll();
      expect(received(2)).toStrictEqual([2]);
    });
  });

  describe('join()', () => {
    it('refuses a second open transport with the same id', () => {
      const { network } = setup();
      expect(() => network.join(1)).toThrow(BugError);
    });
  });
});
