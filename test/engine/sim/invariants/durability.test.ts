// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { Message } from '../../../../engine/raft/types';
import {
  Durability,
  type DurableView,
} from '../../../../engine/sim/invariants/durability';
import { LogMirror } from '../../../../engine/sim/log-view';

function view(term: number, vote: number, lastTerms: number[]): DurableView {
  const log = new LogMirror();
  log.append(
    lastTerms.map((t, i) => ({
      index: i + 1,
      term: t,
      type: 'normal',
      data: new Uint8Array(),
    })),
  );
  return { hardState: { term, vote, commit: 0 }, log };
}

function reply(
  type: Message['type'],
  from: number,
  to: number,
  term: number,
  index = 0,
): Message {
  return {
    type,
    from,
    to,
    term,
    logTerm: 0,
    index,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    hintTerm: 0,
    context: 0,
  };
}

function setup(disk: Record<number, DurableView>) {
  const failures: string[] = [];
  const check = new Durability(
    (f) => failures.push(f),
    (id) => disk[id],
  );
  return { failures, check };
}

describe('Durability', () => {
  describe('reply()', () => {
    it('accepts replies whose state is on disk', () => {
      const { failures, check } = setup({ 1: view(3, 2, [1, 3]) });
      check.reply(reply('voteResp', 1, 2, 3));
      check.reply(reply('appResp', 1, 2, 3, 2));
      check.reply({ ...reply('voteResp', 1, 4, 5), reject: true });
      expect(failures).toEqual([]);
    });

    it('flags a granted vote that is not on disk', () => {
      const { failures, check } = setup({
        1: view(3, 0, []),
        2: view(2, 0, []),
      });
      check.reply(reply('voteResp', 1, 2, 3));
      check.reply(reply('voteResp', 2, 3, 3));
      expect(failures).toEqual([
        'durability: n1 sent voteResp in term 3 having voted n2, with vote n0 on disk',
        'durability: n2 sent voteResp in term 3 with term 2 on disk',
      ]);
    });

    it('flags a vote request before the candidate vote is on disk', () => {
      const { failures, check } = setup({ 1: view(3, 0, []) });
      check.reply(reply('vote', 1, 2, 3));
      expect(failures).toEqual([
        'durability: n1 sent vote in term 3 having voted n1, with vote n0 on disk',
      ]);
    });

    it('flags an acknowledged append that is not on disk', () => {
      const { failures, check } = setup({ 1: view(3, 0, [1]) });
      check.reply(reply('appResp', 1, 2, 3, 2));
      expect(failures).toEqual([
        'durability: n1 acknowledged index 2 with only 1 on disk',
      ]);
    });
  });

  describe('committed()', () => {
    it('accepts a majority of any candidate configuration', () => {
      const { failures, check } = setup({
        1: view(2, 0, [1, 2]),
        2: view(2, 0, [1, 2]),
        3: view(2, 0, [1]),
      });
      check.committed(2, 2, [
        [1, 2, 3, 4, 5],
        [1, 2, 3],
      ]);
      expect(failures).toEqual([]);
    });

    it('flags a committed entry held by a minority only', () => {
      const { failures, check } = setup({
        1: view(2, 0, [1, 2]),
        2: view(2, 0, [1, 1]),
        3: view(2, 0, [1]),
      });
      check.committed(2, 2, [[1, 2, 3]]);
      expect(failures).toEqual([
        'durability: committed (2, term 2) only durable on [1] of voters [1,2,3]',
      ]);
    });
  });
});
