// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { figure8, staleAppendReplay, voteLostInCrash } from './scenarios';

/**
 * Each test-only switch re-introduces one unsafe behaviour, and the same
 * scripted schedule that passes without it then trips the harness checks.
 * This is what lets the simulator show its own search has teeth.
 */
describe('RaftConfig.testingBugs', () => {
  it('commitOldTermByCount commits an old-term entry that is then overwritten (Fig. 8)', () => {
    expect(figure8().violations).toEqual([]);
    const h = figure8({ commitOldTermByCount: true });
    expect(h.violations.length).toBeGreaterThan(0);
    expect(h.violations[0]).toMatch(/applied 2\/2 .* but 2\/1 "x"/);
  });

  it('voteBeforeDurable lets a crash turn one vote into two leaders in a term', () => {
    expect(voteLostInCrash().violations).toEqual([]);
    const h = voteLostInCrash({ voteBeforeDurable: true });
    expect(h.violations).toEqual(['term 1 has leaders 1,2']);
  });

  it('truncateOnStaleAppend makes a replayed append drop an acknowledged, committed entry', () => {
    const safe = staleAppendReplay();
    expect(safe.underReplicated([1, 2, 3])).toEqual([]);
    const h = staleAppendReplay({ truncateOnStaleAppend: true });
    expect(h.underReplicated([1, 2, 3])).toEqual([
      'committed 3/1 is durable on 1 of 3',
    ]);
  });
});
