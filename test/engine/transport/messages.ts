import fc from 'fast-check';

import {
  ENTRY_TYPES,
  MESSAGE_TYPES,
  type Entry,
  type Message,
  type NodeId,
} from '../../../engine/raft/types';

/** A message with zero values everywhere except what `fields` sets. */
export function makeMessage(
  from: NodeId,
  to: NodeId,
  fields: Partial<Message> = {},
): Message {
  return {
    type: 'app',
    from,
    to,
    term: 1,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    hintTerm: 0,
    context: 0,
    ...fields,
  };
}

/** An entry carrying `size` bytes of data. */
export function makeEntry(index: number, size = 8): Entry {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    data[i] = (index + i) & 0xff;
  }
  return { index, term: 1, type: 'normal', data };
}

const count = fc.maxSafeNat();
const nodeId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

const entry: fc.Arbitrary<Entry> = fc.record(
  {
    index: nodeId,
    term: count,
    type: fc.constantFrom(...ENTRY_TYPES),
    data: fc.uint8Array({ maxLength: 64 }),
  },
  { noNullPrototype: true },
);

const chunk = fc
  .record(
    {
      index: count,
      term: count,
      voters: fc.array(nodeId, { maxLength: 7 }),
      learners: fc.array(nodeId, { maxLength: 3 }),
      offset: fc.nat({ max: 2 ** 40 }),
      slack: fc.nat({ max: 2 ** 40 }),
      data: fc.uint8Array({ maxLength: 64 }),
    },
    { noNullPrototype: true },
  )
  .map(({ index, term, voters, learners, offset, slack, data }) => ({
    meta: { index, term, conf: { voters, learners } },
    offset,
    total: offset + data.length + slack,
    data,
  }));

/** Any valid message: every field at any value the type allows. */
export const messageArbitrary: fc.Arbitrary<Message> = fc.record(
  {
    type: fc.constantFrom(...MESSAGE_TYPES),
    from: nodeId,
    to: nodeId,
    term: count,
    logTerm: count,
    index: count,
    entries: fc.array(entry, { maxLength: 6 }),
    commit: count,
    reject: fc.boolean(),
    rejectHint: count,
    hintTerm: count,
    context: count,
    snapshot: chunk,
  },
  {
    noNullPrototype: true,
    requiredKeys: [
      'type',
      'from',
      'to',
      'term',
      'logTerm',
      'index',
      'entries',
      'commit',
      'reject',
      'rejectHint',
      'hintTerm',
      'context',
    ],
  },
);
