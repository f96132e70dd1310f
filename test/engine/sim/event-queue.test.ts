// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { EventQueue } from '../../../engine/sim/event-queue';

describe('EventQueue', () => {
  describe('pop()', () => {
    it('returns events in time order, ties in scheduling order', () => {
      const queue = new EventQueue();
      const order: string[] = [];
      queue.schedule(5, () => order.push('b'));
      queue.schedule(1, () => order.push('a'));
      queue.schedule(5, () => order.push('c'));
      queue.schedule(9, () => order.push('e'));
      queue.schedule(5, () => order.push('d'));

      const times: number[] = [];
      for (let event = queue.pop(); event; event = queue.pop()) {
        times.push(queue.now);
        event.run();
      }

      expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(times).toEqual([1, 5, 5, 5, 9]);
    });

    it('schedules relative to the event being run', () => {
      const queue = new EventQueue();
      const seen: number[] = [];
      queue.schedule(10, () => {
        queue.schedule(3, () => seen.push(queue.now));
        queue.schedule(-4, () => seen.push(queue.now));
      });

      for (let event = queue.pop(); event; event = queue.pop()) {
        event.run();
      }

      expect(seen).toEqual([10, 13]);
    });

    it('keeps the heap ordered over many random events', () => {
      const queue = new EventQueue();
      let x = 7;
      for (let i = 0; i < 500; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        queue.schedule(x % 100, () => {});
      }
      let last = -1;
      let count = 0;
      for (let event = queue.pop(); event; event = queue.pop()) {
        expect(event.at).toBeGreaterThanOrEqual(last);
        last = event.at;
        count += 1;
      }
      expect(count).toBe(500);
      expect(queue.size).toBe(0);
    });
  });
});
