import { isNodeId } from './entry-codec';
import { ENTRY_TYPES, MESSAGE_TYPES, type Message } from './types';

const MESSAGE_KINDS = new Set<string>(MESSAGE_TYPES);

const ENTRY_KINDS = new Set<string>(ENTRY_TYPES);

const INDEX_FIELDS = [
  'term',
  'logTerm',
  'index',
  'commit',
  'rejectHint',
  'hintTerm',
] as const;

function isIndex(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * Why `m` is not a well-formed message, or undefined when it is. Checks
 * shapes only (what a peer speaking garbage could break); the protocol
 * checks happen in `step`.
 */
export function checkMessage(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null) {
    return 'not an object';
  }
  const msg = m as Partial<Message>;
  if (msg.type === undefined || !MESSAGE_KINDS.has(msg.type)) {
    return `unknown type ${String(msg.type)}`;
  }
  if (!isNodeId(msg.from)) {
    return `bad sender ${String(msg.from)}`;
  }
  for (const field of INDEX_FIELDS) {
    if (!isIndex(msg[field])) {
      return `bad ${field}`;
    }
  }
  if (typeof msg.context !== 'number' || !Number.isFinite(msg.context)) {
    return 'bad context';
  }
  if (typeof msg.reject !== 'boolean') {
    return 'bad reject flag';
  }
  if (!Array.isArray(msg.entries)) {
    return 'entries is not an array';
  }
  if (msg.type === 'app') {
    return checkEntries(msg as Message);
  }
  if (msg.type === 'snap' && msg.snapshot === undefined) {
    return 'snap without a chunk';
  }
  return undefined;
}

function checkEntries(m: Message): string | undefined {
  let expected = m.index + 1;
  let lastTerm = m.logTerm;
  for (const entry of m.entries) {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      entry.index !== expected ||
      !isIndex(entry.term) ||
      entry.term < lastTerm ||
      entry.term > m.term ||
      !ENTRY_KINDS.has(entry.type) ||
      !(entry.data instanceof Uint8Array)
    ) {
      return `bad entry at ${expected}`;
    }
    expected += 1;
    lastTerm = entry.term;
  }
  return undefined;
}
