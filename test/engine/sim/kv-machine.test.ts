// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  decodeCommand,
  encodeCommand,
  KvMachine,
  type KvCommand,
} from '../../../engine/sim/kv-machine';

const put = (client: number, seq: number, key: string, value: number) =>
  ({ kind: 'put', client, seq, key, value }) as const;

describe('KvMachine', () => {
  describe('apply()', () => {
    it('applies put, read and cas', () => {
      const kv = new KvMachine();
      expect(kv.apply(put(1, 1, 'a', 5))).toEqual({ kind: 'put' });
      expect(kv.apply({ kind: 'read', client: 1, seq: 2, key: 'a' })).toEqual({
        kind: 'read',
        value: 5,
      });
      const cas = (seq: number, expected: number | null, value: number) =>
        kv.apply({ kind: 'cas', client: 2, seq, key: 'a', expected, value });
      expect(cas(1, 4, 6)).toEqual({ kind: 'cas', ok: false });
      expect(cas(2, 5, 6)).toEqual({ kind: 'cas', ok: true });
      expect(kv.get('a')).toBe(6);
      expect(kv.get('b')).toBeNull();
    });

    it('applies a retried command once and answers it the same', () => {
      const kv = new KvMachine();
      const command: KvCommand = {
        kind: 'cas',
        client: 3,
        seq: 1,
        key: 'a',
        expected: null,
        value: 1,
      };
      expect(kv.apply(command)).toEqual({ kind: 'cas', ok: true });
      kv.apply(put(4, 1, 'a', 2));
      // without the session the retry would now fail and report so
      expect(kv.apply(command)).toEqual({ kind: 'cas', ok: true });
      expect(kv.get('a')).toBe(2);
    });

    it('ignores a duplicate older than the client latest command', () => {
      const kv = new KvMachine();
      kv.apply(put(1, 1, 'a', 1));
      kv.apply(put(1, 2, 'a', 2));
      expect(kv.apply(put(1, 1, 'a', 1))).toBeUndefined();
      expect(kv.get('a')).toBe(2);
    });
  });

  describe('snapshot()', () => {
    it('restores to the same state hash whatever the apply order', () => {
      const a = new KvMachine();
      a.apply(put(1, 1, 'x', 1));
      a.apply(put(2, 1, 'y', 2));
      const b = new KvMachine();
      b.restore(a.snapshot());
      expect(b.stateHash()).toBe(a.stateHash());
      expect(b.get('y')).toBe(2);

      // same contents inserted in another order hash alike
      const c = new KvMachine();
      c.apply(put(2, 1, 'y', 2));
      c.apply(put(1, 1, 'x', 1));
      expect(c.stateHash()).toBe(a.stateHash());

      // sessions are part of the state
      b.apply(put(1, 1, 'x', 1));
      b.restore(new Uint8Array());
      expect(b.stateHash()).not.toBe(a.stateHash());
    });
  });

  describe('decodeCommand()', () => {
    it('round-trips a command and rejects other bytes', () => {
      const command = put(1, 2, 'k', 3);
      expect(decodeCommand(encodeCommand(command))).toEqual(command);
      const junk = new TextEncoder().encode('{"kind":"put"}');
      expect(() => decodeCommand(junk)).toThrow(/not a command/);
      expect(() => decodeCommand(new Uint8Array([0xff]))).toThrow();
    });
  });
});
