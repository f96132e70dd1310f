// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { CompatibilityFinding } from '../../../../engine/hooks/config/compatibility';
import { hookDifferences } from '../../../../engine/hooks/fidelity/fidelity-differences';
import type { HookTally } from '../../../../engine/hooks/fidelity/fidelity-tally';

function tally(changes: Partial<HookTally> = {}): HookTally {
  return {
    name: 'audit',
    mode: 'direct',
    handlerType: 'shell',
    isEnabled: true,
    events: 1,
    topics: ['hooks.kv.write_committed'],
    executions: 1,
    nodesPerEvent: 1,
    outcomes: {
      succeeded: 1,
      failed: 0,
      timedOut: 0,
      unfinished: 0,
      dropped: 0,
      neverRun: 0,
      lost: 0,
    },
    dropReasons: {},
    maxStdoutBytes: 0,
    sharesEventsWith: [],
    ...changes,
  };
}

const outcomes = (changes: Partial<HookTally['outcomes']>) => ({
  ...tally().outcomes,
  succeeded: 0,
  ...changes,
});

function report(...ids: CompatibilityFinding['id'][]): CompatibilityFinding[] {
  return ids.map((id) => ({
    id,
    severity: 'warning',
    handler: 'audit',
    message: id,
  }));
}

describe('hookDifferences()', () => {
  it('finds nothing when both runs agree', () => {
    expect(
      hookDifferences({
        studio: tally(),
        production: tally(),
        report: report('fires-on-every-node'),
      }),
    ).toEqual([]);
  });

  it('blames an unread stdout for a production timeout after large output', () => {
    const [difference] = hookDifferences({
      studio: tally({ maxStdoutBytes: 200_000 }),
      production: tally({ outcomes: outcomes({ timedOut: 1 }) }),
      report: report('stdout-never-read'),
    });
    expect(difference).toMatchObject({
      kind: 'timeouts',
      finding: 'stdout-never-read',
      isReported: true,
    });
  });

  it('blames the sequence, then the environment, for other shell timeouts', () => {
    const production = tally({ outcomes: outcomes({ timedOut: 1 }) });
    const shared = hookDifferences({
      studio: tally({ sharesEventsWith: ['other'] }),
      production,
      report: [],
    });
    expect(shared[0]).toMatchObject({
      finding: 'sequential-dispatch',
      isReported: false,
    });
    const alone = hookDifferences({ studio: tally(), production, report: [] });
    expect(alone[0]?.finding).toBe('inherits-node-environment');
  });

  it('tells apart events only the studio or only production dispatched', () => {
    const differences = hookDifferences({
      studio: tally({ topics: ['orders.created'] }),
      production: tally({ topics: ['hooks.kv.write_committed'] }),
      report: report('user-topics-never-reach-hooks'),
    });
    expect(differences.map((d) => [d.kind, d.finding, d.isReported])).toEqual([
      ['events', 'user-topics-never-reach-hooks', true],
      ['events', 'gt-matches-zero-tokens', false],
    ]);
  });

  it('ties drops to the studio keys or the loop cut that made them differ', () => {
    const differences = hookDifferences({
      studio: tally({ dropReasons: { loop_cut: 1 } }),
      production: tally({ dropReasons: { saturated: 2 } }),
      handler: { studio_queue_bound: 10 } as never,
      report: report('studio-keys-ignored'),
    });
    expect(differences.map((d) => d.finding)).toEqual([
      'studio-keys-ignored',
      'studio-table-ignored',
    ]);
  });

  it('reports a config-wide finding as reported for every hook', () => {
    const [difference] = hookDifferences({
      studio: tally({ dropReasons: { loop_cut: 1 } }),
      production: tally(),
      report: [{ id: 'studio-table-ignored', severity: 'info', message: 'x' }],
    });
    expect(difference).toMatchObject({
      finding: 'studio-table-ignored',
      isReported: true,
    });
  });
});
