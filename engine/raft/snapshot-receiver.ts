import type { NodeId, Snapshot, SnapshotChunk } from './types';

/** What to tell the sender after a chunk. */
export type ChunkOutcome =
  /** Keep going: the receiver holds `offset` bytes and wants the rest. */
  | { kind: 'ack'; offset: number }
  /** No transfer matches this chunk: start over from offset 0. */
  | { kind: 'restart' }
  /** The last chunk arrived: here is the whole snapshot. */
  | { kind: 'complete'; snapshot: Snapshot }
  /** The chunk contradicts itself; drop it. */
  | { kind: 'invalid'; reason: string };

interface Transfer {
  chunk: SnapshotChunk;
  from: NodeId;
  term: number;
  parts: Uint8Array[];
  received: number;
}

/**
 * Reassembles a chunked InstallSnapshot on the follower. Chunks must come
 * in order; offset 0 of a different snapshot, sender or term starts a
 * fresh transfer (offset 0 of the same one resumes it), so a sender can
 * restart cleanly after any rejection, crash or leader change
 * (reference/raft.md §2 bug 17). Nothing is kept across restarts: a
 * restarted follower asks for offset 0.
 */
export class SnapshotReceiver {
  private transfer: Transfer | undefined;

  /** Bytes held for the transfer in progress (0 when none). */
  get received(): number {
    return this.transfer?.received ?? 0;
  }

  /** Takes one chunk from `from` in `term`; says what to answer. */
  receive(chunk: SnapshotChunk, from: NodeId, term: number): ChunkOutcome {
    const invalid = checkChunk(chunk);
    if (invalid !== undefined) {
      return { kind: 'invalid', reason: invalid };
    }

    const current = this.transfer;
    if (
      chunk.offset === 0 &&
      (current === undefined || !sameTransfer(current, chunk, from, term))
    ) {
      this.transfer = { chunk, from, term, parts: [], received: 0 };
    }
    const transfer = this.transfer;
    if (transfer === undefined || !sameTransfer(transfer, chunk, from, term)) {
      return { kind: 'restart' };
    }
    if (chunk.offset !== transfer.received) {
      // a duplicate or a chunk after a lost one: say where we are
      return { kind: 'ack', offset: transfer.received };
    }

    if (chunk.data.byteLength > 0) {
      transfer.parts.push(chunk.data);
      transfer.received += chunk.data.byteLength;
    }
    if (transfer.received < chunk.total) {
      return { kind: 'ack', offset: transfer.received };
    }
    this.transfer = undefined;
    return {
      kind: 'complete',
      snapshot: { meta: chunk.meta, data: concat(transfer.parts, chunk.total) },
    };
  }

  /** Drops any partial transfer. */
  reset(): void {
    this.transfer = undefined;
  }
}

function checkChunk(chunk: SnapshotChunk): string | undefined {
  const { offset, total, data, meta } = chunk;
  if (!(data instanceof Uint8Array)) {
    return 'chunk data is not bytes';
  }
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(total) ||
    offset < 0 ||
    offset + data.byteLength > total
  ) {
    return `chunk [${offset}, +${data.byteLength}) outside ${total} bytes`;
  }
  if (
    meta === undefined ||
    !Number.isSafeInteger(meta.index) ||
    !Number.isSafeInteger(meta.term) ||
    !Array.isArray(meta.conf?.voters) ||
    !Array.isArray(meta.conf?.learners)
  ) {
    return 'chunk without valid snapshot metadata';
  }
  return undefined;
}

function sameTransfer(
  transfer: Transfer,
  chunk: SnapshotChunk,
  from: NodeId,
  term: number,
): boolean {
  const mine = transfer.chunk;
  return (
    transfer.from === from &&
    transfer.term === term &&
    mine.total === chunk.total &&
    mine.meta.index === chunk.meta.index &&
    mine.meta.term === chunk.meta.term
  );
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && parts[0]!.byteLength === total) {
    return parts[0]!;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
