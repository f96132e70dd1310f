// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { SeededRng } from '../../../engine/ports/rng';
import type { Message } from '../../../engine/raft/types';
import { EventQueue } from '../../../engine/sim/event-queue';
import { SimNetwork } from '../../../engine/sim/sim-network';

function message(from: number, to: number, index = 0): Message {
  return {
    type: 'app',
    from,
    to,
    term: 1,
    logTerm: 0,
    index,
    entries: [{ index: 1, term: 1, type: 'normal', data: new Uint8Array([1]) }],
    commit: 0,
    reject: false,
    rejectHint: 0,
    hintTerm: 0,
    context: 0,
  };
}

function setup(seed = 1) {
  const queue = new EventQueue();
  const got: Message[] = [];
  const times: number[] = [];
  const network = new SimNetwork(queue, new SeededRng(seed), (m) => {
    got.push(m);
    times.push(queue.now);
  });
  const drain = () => {
    for (let event = queue.pop(); event; event = queue.pop()) {
      event.run();
    }
  };
  return { queue, got, times, network, drain };
}

describe('SimNetwork', () => {
  describe('send()', () => {
    it('delivers a copy after 1 to 12 ms', () => {
      const { got, times, network, drain } = setup();
      const sent = message(1, 2);
      network.send([sent]);
      drain();
      expect(got).toHaveLength(1);
      expect(got[0]).toEqual(sent);
      expect(got[0]!.entries[0]!.data).not.toBe(sent.entries[0]!.data);
      expect(times[0]).toBeGreaterThanOrEqual(1);
      expect(times[0]).toBeLessThanOrEqual(12);
    });

    it('drops and duplicates at the configured rates', () => {
      const { got, network, drain } = setup();
      network.setFaults({ dropRate: 0.5, duplicateRate: 0.5, reorderRate: 0 });
      network.send(Array.from({ length: 400 }, () => message(1, 2)));
      drain();
      expect(network.stats.dropped).toBeGreaterThan(120);
      expect(network.stats.duplicated).toBeGreaterThan(50);
      expect(got.length).toBe(
        400 - network.stats.dropped + network.stats.duplicated,
      );
    });

    it('reorders messages when asked to', () => {
      const { got, network, drain } = setup(3);
      network.setFaults({ dropRate: 0, duplicateRate: 0, reorderRate: 0.3 });
      network.send(Array.from({ length: 50 }, (_, i) => message(1, 2, i)));
      drain();
      const order = got.map((m) => m.index);
      expect(order).not.toEqual([...order].sort((a, b) => a - b));
    });
  });

  describe('partition()', () => {
    it('blocks both ways between groups, including messages in flight', () => {
      const { got, network, drain, queue } = setup();
      network.send([message(1, 2), message(2, 1), message(1, 3)]);
      network.partition([[1, 3], [2]]);
      drain();
      expect(got.map((m) => `${m.from}>${m.to}`)).toEqual(['1>3']);
      expect(network.stats.blocked).toBe(2);

      network.heal();
      network.send([message(2, 1)]);
      drain();
      expect(got).toHaveLength(2);
      expect(queue.size).toBe(0);
    });
  });

  describe('cut()', () => {
    it('blocks one direction only', () => {
      const { network } = setup();
      network.cut(1, 2);
      expect(network.isBlocked(1, 2)).toBe(true);
      expect(network.isBlocked(2, 1)).toBe(false);
    });
  });
});
