import {
  decodeConfChange,
  decodeLeaderData,
} from '../../../engine/raft/entry-codec';
import type { Ready } from '../../../engine/raft/raft-node';
import type { ConfState, Entry, Message } from '../../../engine/raft/types';

const text = new TextDecoder();

/** `index/term:kind(data)`, e.g. `3/2:put-x` or `1/1:leader(1)`. */
export function formatEntry(entry: Entry): string {
  const at = `${entry.index}/${entry.term}`;
  switch (entry.type) {
    case 'leader':
      return `${at}:leader(${decodeLeaderData(entry.data)})`;
    case 'config': {
      const change = decodeConfChange(entry.data);
      return `${at}:${change ? `${change.type}(${change.node})` : 'config?'}`;
    }
    default:
      return `${at}:${text.decode(entry.data)}`;
  }
}

export function formatEntries(entries: readonly Entry[]): string {
  return `[${entries.map(formatEntry).join(' ')}]`;
}

export function formatConf(conf: ConfState): string {
  const learners =
    conf.learners.length > 0 ? ` learners=(${conf.learners.join(',')})` : '';
  return `voters=(${conf.voters.join(',')})${learners}`;
}

/** One line per message, naming only the fields its type uses. */
export function formatMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} t${m.term}`;
  switch (m.type) {
    case 'app':
      return `${head} prev=${m.index}/${m.logTerm} commit=${m.commit}${
        m.entries.length > 0 ? ` ${formatEntries(m.entries)}` : ''
      }`;
    case 'appResp':
      return m.reject
        ? `${head} reject index=${m.index} hint=${m.rejectHint}/${m.hintTerm}`
        : `${head} index=${m.index}`;
    case 'heartbeat':
      return `${head} commit=${m.commit} round=${m.context}`;
    case 'heartbeatResp':
      return `${head} round=${m.context}`;
    case 'preVote':
    case 'vote':
      return `${head} last=${m.index}/${m.logTerm}${
        m.context !== 0 ? ' transfer' : ''
      }`;
    case 'preVoteResp':
    case 'voteResp':
      return `${head} ${m.reject ? 'rejected' : 'granted'}`;
    case 'snap': {
      const c = m.snapshot!;
      return `${head} snapshot=${c.meta.index}/${c.meta.term} bytes=${c.offset}+${c.data.byteLength}/${c.total} ${formatConf(c.meta.conf)}`;
    }
    case 'snapResp': {
      const c = m.snapshot;
      return m.reject
        ? `${head} restart snapshot=${m.index}`
        : `${head} snapshot=${m.index} have=${c?.offset ?? 0}/${c?.total ?? 0}`;
    }
    case 'readIndex':
      return `${head} ctx=${m.context}`;
    case 'readIndexResp':
      return m.reject
        ? `${head} ctx=${m.context} rejected`
        : `${head} ctx=${m.context} index=${m.index}`;
    default:
      return head;
  }
}

/** The lines describing a Ready (empty parts left out). */
export function formatReady(ready: Ready): string[] {
  const lines: string[] = [];
  if (ready.softState !== undefined) {
    lines.push(
      `role: ${ready.softState.role} leader=${ready.softState.leader}`,
    );
  }
  if (ready.hardState !== undefined) {
    const { term, vote, commit } = ready.hardState;
    lines.push(`hard state: term=${term} vote=${vote} commit=${commit}`);
  }
  if (ready.snapshot !== undefined) {
    const { index, term, conf } = ready.snapshot.meta;
    lines.push(`snapshot: ${index}/${term} ${formatConf(conf)}`);
  }
  if (ready.entries.length > 0) {
    lines.push(`entries: ${formatEntries(ready.entries)}`);
  }
  for (const m of ready.messages) {
    lines.push(`send: ${formatMessage(m)}`);
  }
  for (const m of ready.messagesAfterPersist) {
    lines.push(`send after persist: ${formatMessage(m)}`);
  }
  if (ready.committedEntries.length > 0) {
    lines.push(`apply: ${formatEntries(ready.committedEntries)}`);
  }
  for (const read of ready.readStates) {
    lines.push(`read ready: ctx=${read.context} index=${read.index}`);
  }
  if (ready.droppedReads.length > 0) {
    lines.push(`reads dropped: ${ready.droppedReads.join(',')}`);
  }
  return lines;
}
