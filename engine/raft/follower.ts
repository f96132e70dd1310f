import { sortedConf, type RaftCore } from './core';
import type { Message, Snapshot, SnapshotChunk } from './types';
import { BugError } from '../util/errors';

/** Follower side of AppendEntries, heartbeats and InstallSnapshot. */

/**
 * Handles AppendEntries (§5.3): refuses on a mismatch at the previous
 * index with a hint for fast backtracking, otherwise appends from the
 * first conflict and commits up to what it verified.
 */
export function handleAppend(r: RaftCore, m: Message): void {
  const reply = r.message('appResp', m.from);
  const log = r.log;
  if (m.index < log.committed) {
    // everything up to our commit matches any leader's log (§5.4)
    reply.index = log.committed;
    r.send(reply);
    return;
  }

  if (m.index === 0 && !r.members.isKnown) {
    // we have no membership yet: ask for the snapshot that carries it
    reply.reject = true;
    r.send(reply);
    return;
  }

  if (log.term(m.index) !== m.logTerm) {
    // tell the leader where our log may match, one whole term back
    const hint = log.findConflictByTerm(
      Math.min(m.index, log.lastIndex()),
      m.logTerm,
    );
    reply.index = m.index;
    reply.reject = true;
    reply.rejectHint = hint.index;
    reply.hintTerm = hint.term;
    r.send(reply);
    return;
  }

  const lastNew = m.index + m.entries.length;
  if (r.cfg.bugs.truncateOnStaleAppend) {
    // mutation (reference/raft.md §2 bug 10): drop the whole tail, even
    // entries a stale append merely repeats
    truncateAfter(r, m.index);
    r.appendToLog(m.entries);
  } else {
    // only a real conflict truncates: a stale or duplicate append that
    // matches must never shorten the log (§5.3)
    const conflict = log.findConflict(m.entries);
    if (conflict !== 0) {
      if (conflict <= log.committed) {
        throw new BugError(
          `append conflicts at ${conflict}, below commit ${log.committed}`,
        );
      }
      r.appendToLog(m.entries.slice(conflict - m.index - 1));
    }
  }
  r.verifiedIndex = Math.min(
    Math.max(r.verifiedIndex, lastNew),
    log.lastIndex(),
  );
  log.commitTo(Math.min(m.commit, r.verifiedIndex));
  reply.index = lastNew;
  r.send(reply);
}

function truncateAfter(r: RaftCore, index: number): void {
  if (r.log.lastIndex() > index) {
    r.log.truncateTo(index);
    r.members.truncateFrom(index + 1);
  }
}

/** Answers a heartbeat, learning the commit index it may (bug 11). */
export function handleHeartbeat(r: RaftCore, m: Message): void {
  // a heartbeat proves nothing about our log: commit only what an append
  // from this leader verified (reference/raft.md §2 bug 11)
  r.log.commitTo(Math.min(m.commit, r.verifiedIndex));
  const reply = r.message('heartbeatResp', m.from);
  reply.context = m.context;
  r.send(reply);
}

/**
 * Takes one InstallSnapshot chunk: acknowledges progress, asks for a
 * restart, or installs the completed snapshot and acknowledges its index
 * once durable.
 */
export function handleSnapshot(r: RaftCore, m: Message): void {
  const chunk = m.snapshot;
  if (chunk === undefined) {
    r.logger.warn('dropped snap message without a chunk', { from: m.from });
    return;
  }
  const index = chunk.meta.index;
  const committed = r.log.committed;
  if (index < committed || (index === committed && r.members.isKnown)) {
    // we already hold all it covers: tell the leader where we are
    r.receiver.reset();
    const reply = r.message('appResp', m.from);
    reply.index = committed;
    r.send(reply);
    return;
  }

  const outcome = r.receiver.receive(chunk, m.from, r.term);
  switch (outcome.kind) {
    case 'invalid':
      r.logger.warn('dropped invalid snapshot chunk', {
        from: m.from,
        reason: outcome.reason,
      });
      return;
    case 'restart':
      r.send(chunkReply(r, m, chunk, 0, true));
      return;
    case 'ack':
      r.send(chunkReply(r, m, chunk, outcome.offset, false));
      return;
    case 'complete': {
      // we already hold the snapshot's last entry: by Log Matching we hold
      // everything before it, so commit there instead of installing. An
      // install would drop entries a Ready still in flight is writing,
      // and that write's advance would then count them durable.
      if (r.members.isKnown && r.log.term(index) === chunk.meta.term) {
        r.log.commitTo(Math.max(index, r.log.committed));
        r.verifiedIndex = Math.max(r.verifiedIndex, index);
        const reply = r.message('appResp', m.from);
        reply.index = index;
        r.send(reply);
        return;
      }
      restore(r, outcome.snapshot);
      const reply = r.message('appResp', m.from);
      reply.index = index;
      r.send(reply);
      return;
    }
  }
}

function chunkReply(
  r: RaftCore,
  m: Message,
  chunk: SnapshotChunk,
  offset: number,
  reject: boolean,
): Message {
  const reply = r.message('snapResp', m.from);
  reply.index = chunk.meta.index;
  reply.reject = reject;
  reply.snapshot = {
    meta: chunk.meta,
    offset,
    total: chunk.total,
    data: new Uint8Array(0),
  };
  return reply;
}

/**
 * Installs a complete snapshot (Figure 13): the log after it survives only
 * if we hold the snapshot's last entry with its term; otherwise all of it
 * goes, so no conflicting entry lingers (reference/raft.md §2 bug 16).
 */
function restore(r: RaftCore, snapshot: Snapshot): void {
  const { index, term, conf } = snapshot.meta;
  r.log.restore(snapshot);
  r.members.reset(index, sortedConf(conf));
  r.members.onAppend(r.log.unstableEntries());
  r.receivedSnapshot = snapshot;
  r.verifiedIndex = index;
  r.logger.info('installed snapshot', {
    index,
    term,
    kept: r.log.lastIndex() - index,
  });
}

/** A read the leader answered for us (or refused). */
export function handleReadIndexResponse(r: RaftCore, m: Message): void {
  const at = r.forwardedReads.findIndex((read) => read.context === m.context);
  if (at < 0) {
    return;
  }
  r.forwardedReads.splice(at, 1);
  if (m.reject) {
    r.droppedReads.push(m.context);
  } else {
    r.readStates.push({ context: m.context, index: m.index });
  }
}
