// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { SnapshotReceiver } from '../../../engine/raft/snapshot-receiver';
import type { SnapshotChunk } from '../../../engine/raft/types';

const meta = { index: 9, term: 2, conf: { voters: [1, 2, 3], learners: [] } };
const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);

function chunk(offset: number, length: number, over = {}): SnapshotChunk {
  return {
    meta,
    offset,
    total: bytes.length,
    data: bytes.subarray(offset, offset + length),
    ...over,
  };
}

describe('SnapshotReceiver', () => {
  it('reassembles in-order chunks into the whole snapshot', () => {
    const receiver = new SnapshotReceiver();
    expect(receiver.receive(chunk(0, 4), 1, 2)).toEqual({
      kind: 'ack',
      offset: 4,
    });
    expect(receiver.receive(chunk(4, 4), 1, 2)).toEqual({
      kind: 'ack',
      offset: 8,
    });
    const done = receiver.receive(chunk(8, 2), 1, 2);
    expect(done).toEqual({ kind: 'complete', snapshot: { meta, data: bytes } });
  });

  it('answers a gap or a duplicate with the offset it holds', () => {
    const receiver = new SnapshotReceiver();
    receiver.receive(chunk(0, 4), 1, 2);
    expect(receiver.receive(chunk(8, 2), 1, 2)).toEqual({
      kind: 'ack',
      offset: 4,
    });
    expect(receiver.receive(chunk(0, 4), 1, 2)).toEqual({
      kind: 'ack',
      offset: 4,
    });
    expect(receiver.received).toBe(4);
  });

  it('asks for a restart when no transfer matches, and starts over at offset 0', () => {
    const receiver = new SnapshotReceiver();
    expect(receiver.receive(chunk(4, 4), 1, 2)).toEqual({ kind: 'restart' });
    receiver.receive(chunk(0, 4), 1, 2);
    // a new leader's transfer replaces the old one
    expect(receiver.receive(chunk(4, 4), 3, 3)).toEqual({ kind: 'restart' });
    expect(receiver.receive(chunk(0, 4), 3, 3)).toEqual({
      kind: 'ack',
      offset: 4,
    });
  });

  it('refuses chunks that contradict themselves', () => {
    const receiver = new SnapshotReceiver();
    expect(
      receiver.receive(
        chunk(8, 4, { total: 10, data: new Uint8Array(4) }),
        1,
        2,
      ).kind,
    ).toBe('invalid');
    expect(receiver.receive(chunk(-1, 1), 1, 2).kind).toBe('invalid');
  });
});
