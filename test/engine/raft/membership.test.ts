// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  decodeConfChange,
  decodeLeaderData,
  encodeConfChange,
  encodeLeaderData,
} from '../../../engine/raft/entry-codec';
import { applyConfChange, Membership } from '../../../engine/raft/membership';
import type { ConfChange, Entry } from '../../../engine/raft/types';

const conf = { voters: [1, 2, 3], learners: [4] };

function config(index: number, change: ConfChange): Entry {
  return { index, term: 1, type: 'config', data: encodeConfChange(change) };
}

describe('applyConfChange()', () => {
  it('moves one node per change, keeping ids sorted', () => {
    expect(
      applyConfChange(conf, { type: 'addVoter', node: 0x7fff_ffff }),
    ).toEqual({
      voters: [1, 2, 3, 0x7fff_ffff],
      learners: [4],
    });
    expect(applyConfChange(conf, { type: 'promote', node: 4 })).toEqual({
      voters: [1, 2, 3, 4],
      learners: [],
    });
    expect(applyConfChange(conf, { type: 'addLearner', node: 2 })).toEqual({
      voters: [1, 3],
      learners: [2, 4],
    });
    expect(applyConfChange(conf, { type: 'remove', node: 4 })).toEqual({
      voters: [1, 2, 3],
      learners: [],
    });
  });

  it('explains why a change makes no sense', () => {
    const single = { voters: [1], learners: [] };
    expect(applyConfChange(single, { type: 'remove', node: 1 })).toMatch(
      /last voter/,
    );
    expect(applyConfChange(conf, { type: 'promote', node: 2 })).toMatch(
      /not a learner/,
    );
    expect(applyConfChange(conf, { type: 'remove', node: 9 })).toMatch(
      /not a member/,
    );
    expect(applyConfChange(conf, { type: 'addVoter', node: -1 })).toMatch(
      /positive/,
    );
  });
});

describe('Membership', () => {
  it('takes a change in as soon as it is appended and forgets it when truncated', () => {
    const invalid: string[] = [];
    const members = new Membership(0, conf, (_, why) => invalid.push(why));
    members.onAppend([config(3, { type: 'promote', node: 4 })]);
    members.onAppend([config(5, { type: 'remove', node: 1 })]);
    expect(members.current.voters).toEqual([2, 3, 4]);
    expect(members.lastChangeIndex).toBe(5);
    expect(members.confAt(4)?.voters).toEqual([1, 2, 3, 4]);

    members.truncateFrom(5);
    expect(members.current.voters).toEqual([1, 2, 3, 4]);
    members.compactTo(4);
    expect(members.confAt(3)).toBeUndefined();
    expect(members.confAt(4)?.voters).toEqual([1, 2, 3, 4]);

    members.onAppend([config(6, { type: 'promote', node: 9 })]);
    expect(invalid).toEqual(['node 9 is not a learner']);
  });
});

describe('entry codec', () => {
  it('round-trips leader ids and changes, and rejects malformed data', () => {
    expect(decodeLeaderData(encodeLeaderData(0xdead_beef))).toBe(0xdead_beef);
    expect(decodeLeaderData(new Uint8Array(3))).toBe(0);
    for (const type of [
      'addVoter',
      'addLearner',
      'promote',
      'remove',
    ] as const) {
      expect(decodeConfChange(encodeConfChange({ type, node: 42 }))).toEqual({
        type,
        node: 42,
      });
    }
    expect(decodeConfChange(new Uint8Array([9, 0, 0, 0, 1]))).toBeUndefined();
    expect(decodeConfChange(new Uint8Array([1, 0, 0, 0, 0]))).toBeUndefined();
  });
});
