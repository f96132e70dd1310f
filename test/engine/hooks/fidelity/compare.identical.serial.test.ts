// @vitest-environment node
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  compareFidelity,
  type FidelityComparison,
} from '../../../../engine/hooks/fidelity/compare';
import { formatComparison } from '../../../../engine/hooks/fidelity/format-comparison';
import { scaled } from '../../../support/time-scale';
import { hooksToml } from '../dispatch/hook-cluster';

import {
  hookOf,
  makeWorkspace,
  type FidelityWorkspace,
} from './fidelity-workspace';

// With more than one node, production runs a direct hook once per node
// that applies the entry, so every hook that runs at all differs there.
// A single node is the deployment where a clean handler (no output, no
// use of the environment, stdin or working directory) truly behaves the
// same: one execution per event, the same outcome.
describe('compareFidelity()', () => {
  let workspace: FidelityWorkspace;
  let comparison: FidelityComparison;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    const log = join(workspace.dir, 'topics.log');
    comparison = await compareFidelity({
      nodes: 1,
      configText: hooksToml(`
[[hooks.handlers]]
name = "kv-audit"
pattern = "hooks.kv.*"
type = "shell"
command = 'printf "%s\\n" "$ASPEN_HOOK_TOPIC" >> "${log}"'
timeout_ms = 2000
`),
      workspaceDir: workspace.dir,
      settleTimeoutMs: scaled(20_000),
      steps: [
        { type: 'kv_put', key: 'a', value: '1' },
        { type: 'kv_put', key: 'b', value: '2' },
        { type: 'kv_delete', key: 'a' },
      ],
    });
  });

  afterAll(async () => {
    await workspace?.remove();
  });

  it('shows the same executions and outcomes in both modes where production has no difference', async () => {
    const hook = hookOf(comparison.hooks, 'kv-audit');
    expect(hook.differences).toEqual([]);
    expect(hook.studio.events).toBe(3);
    for (const tally of [hook.studio, hook.production]) {
      expect(tally).toMatchObject({
        events: 3,
        executions: 3,
        nodesPerEvent: 1,
        outcomes: { succeeded: 3, failed: 0, timedOut: 0, dropped: 0 },
      });
    }
    // the report's warnings for this hook did not show up in this run
    for (const link of comparison.findings) {
      expect(link.observed).toEqual([]);
    }
    const text = formatComparison(comparison);
    expect(text).toContain('kv-audit (direct, shell): same in both');
    expect(text).toContain('1 hook(s), 0 behave differently in production');
    // each run appended one line per event; deliveries of different
    // events run concurrently, so only the counts are fixed
    const lines = (await readFile(join(workspace.dir, 'topics.log'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(lines).toEqual([
      ...Array<string>(2).fill('hooks.kv.delete_committed'),
      ...Array<string>(4).fill('hooks.kv.write_committed'),
    ]);
  });
});
