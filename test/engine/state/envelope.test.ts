// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { Envelope } from '../../../engine/state/commands';
import { decodeEntry, encodeCommand } from '../../../engine/state/envelope';
import type { Entry } from '../../../engine/raft/types';

const entryOf = (data: Uint8Array): Entry => ({
  index: 9,
  term: 1,
  type: 'normal',
  data,
});

describe('decodeEntry', () => {
  it('round-trips an envelope with bytes, a session and headers', () => {
    const envelope: Envelope = {
      v: 1,
      time: 1_234,
      random: 0xffff_ffff,
      client: 'studio-1',
      seq: 4,
      cmd: {
        t: 'publishBatch',
        messages: [
          { topic: 'a', payload: { n: 1 }, headers: { trace: 'x' } },
          { topic: 'b', payload: Uint8Array.of(7) },
        ],
      },
    };
    const data = encodeCommand(envelope);
    const decoded = decodeEntry(entryOf(data));
    // bytes come back as a copy (a Buffer under Node), not a view
    const { messages } = (decoded as { envelope: Envelope }).envelope.cmd as {
      messages: { payload: unknown }[];
    };
    const bytes = messages[1]!.payload as Uint8Array;
    expect([...bytes]).toEqual([7]);
    expect(bytes.buffer).not.toBe(data.buffer);
    messages[1]!.payload = Uint8Array.of(7);
    expect(decoded).toEqual({ ok: true, envelope });
  });

  it('refuses a client without a seq', () => {
    const data = encodeCommand({
      v: 1,
      time: 0,
      random: 0,
      client: 'c',
      cmd: { t: 'kv.delete', key: 'k' },
    });
    expect(decodeEntry(entryOf(data))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_COMMAND' },
    });
  });

  it('refuses a batch over the limit', () => {
    const ops = Array.from({ length: 101 }, (_, i) => ({
      op: 'delete' as const,
      key: `k${i}`,
    }));
    const data = encodeCommand({
      v: 1,
      time: 0,
      random: 0,
      cmd: { t: 'kv.batch', ops },
    });
    expect(decodeEntry(entryOf(data))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_COMMAND', message: /cmd\.ops/ },
    });
  });

  it('refuses data that is msgpack but not an envelope', () => {
    const data = encodeCommand(42 as unknown as Envelope);
    expect(decodeEntry(entryOf(data))).toEqual({
      ok: false,
      error: { code: 'BAD_ENTRY', message: 'entry 9 holds no envelope' },
    });
  });
});
