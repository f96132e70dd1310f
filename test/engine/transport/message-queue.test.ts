// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  estimateSize,
  MessageQueue,
} from '../../../engine/transport/message-queue';

import { makeEntry, makeMessage } from './messages';

const tagged = (index: number, bytes = 0) =>
  makeMessage(1, 2, { index, entries: bytes > 0 ? [makeEntry(1, bytes)] : [] });

describe('MessageQueue', () => {
  describe('push()', () => {
    it('drops the oldest messages once over the count bound', () => {
      const queue = new MessageQueue(3, Infinity);
      const dropped = [1, 2, 3, 4, 5].map((i) => queue.push(tagged(i)));
      expect(dropped).toStrictEqual([0, 0, 0, 1, 1]);
      expect(queue.takeAll().map((m) => m.index)).toStrictEqual([3, 4, 5]);
    });

    it('drops the oldest messages once over the byte bound', () => {
      const size = estimateSize(tagged(0, 1000));
      const queue = new MessageQueue(100, size * 2);
      queue.push(tagged(1, 1000));
      queue.push(tagged(2, 1000));
      expect(queue.push(tagged(3, 1000))).toBe(1);
      expect(queue.byteSize).toBe(size * 2);
      expect(queue.takeAll().map((m) => m.index)).toStrictEqual([2, 3]);
    });

    it('keeps the newest message even when it alone is over the bound', () => {
      const queue = new MessageQueue(100, 10);
      queue.push(tagged(1));
      expect(queue.push(tagged(2, 5000))).toBe(1);
      expect(queue.length).toBe(1);
    });

    it('stays in order across many drops', () => {
      const queue = new MessageQueue(50, Infinity);
      for (let i = 0; i < 1000; i++) {
        queue.push(tagged(i));
      }
      const kept = queue.takeAll().map((m) => m.index);
      expect(kept).toStrictEqual(Array.from({ length: 50 }, (_, i) => 950 + i));
      expect(queue.length).toBe(0);
      expect(queue.byteSize).toBe(0);
    });
  });
});
