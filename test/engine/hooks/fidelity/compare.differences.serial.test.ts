// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  compareFidelity,
  type FidelityComparison,
} from '../../../../engine/hooks/fidelity/compare';
import type { HookTally } from '../../../../engine/hooks/fidelity/fidelity-tally';
import { scaled } from '../../../support/time-scale';
import { hooksToml } from '../dispatch/hook-cluster';

import {
  findingsOf,
  hookOf,
  makeWorkspace,
  type FidelityWorkspace,
} from './fidelity-workspace';

// Each scenario is an expectation a user would check after running the
// steps in the studio. It holds for the studio run and breaks for the
// production run, and the comparison names the finding that explains it.
interface Scenario {
  difference: string;
  hook: string;
  expectation: string;
  holds(tally: HookTally): boolean;
  finding: string;
}

const SCENARIOS: Scenario[] = [
  {
    difference: 'every node that applies an entry dispatches',
    hook: 'every-node',
    expectation: 'a direct hook runs once per event',
    holds: (t) => t.events === 1 && t.executions === 1,
    finding: 'fires-on-every-node',
  },
  {
    difference: 'job-mode specs are counted and never run',
    hook: 'job-hook',
    expectation: 'a job-mode hook runs its job for the write',
    holds: (t) => t.events === 1 && t.outcomes.succeeded === 1,
    finding: 'job-never-runs',
  },
  {
    difference: 'user topics reach no hook',
    hook: 'orders',
    expectation: 'a hook on orders.* fires for orders.created',
    holds: (t) => t.topics.includes('orders.created') && t.executions > 0,
    finding: 'user-topics-never-reach-hooks',
  },
  {
    difference: "production's matcher lets > match zero tokens",
    hook: 'lax',
    expectation: 'hooks.kv.delete_committed.> stays silent on the delete',
    holds: (t) => t.executions === 0,
    finding: 'gt-matches-zero-tokens',
  },
  {
    difference: 'stdout is never read',
    hook: 'chatty',
    expectation: 'a command printing 200 KB succeeds',
    holds: (t) => t.outcomes.succeeded > 0 && t.outcomes.timedOut === 0,
    finding: 'stdout-never-read',
  },
  {
    difference: "the node's whole environment is inherited",
    hook: 'isolated-env',
    expectation: "the handler cannot see the studio process's variables",
    holds: (t) => t.outcomes.succeeded > 0 && t.outcomes.failed === 0,
    finding: 'inherits-node-environment',
  },
  {
    difference: "the node's working directory is inherited",
    hook: 'workspace-cwd',
    expectation: 'the handler runs in the workspace',
    holds: (t) => t.outcomes.succeeded > 0 && t.outcomes.failed === 0,
    finding: 'inherits-node-environment',
  },
  {
    difference: 'in-process handlers have no timeout',
    hook: 'hang',
    expectation: 'a hung in-process handler is ended by its timeout',
    holds: (t) => t.outcomes.timedOut > 0 && t.outcomes.unfinished === 0,
    finding: 'in-process-no-timeout',
  },
];

function config(workspace: string): string {
  return hooksToml(`
[[hooks.handlers]]
name = "every-node"
pattern = "hooks.kv.write_committed"
type = "in_process"
handler_id = "noop"

[[hooks.handlers]]
name = "job-hook"
pattern = "hooks.kv.write_committed"
type = "in_process"
handler_id = "noop"
execution_mode = "job"
retry_count = 1

[[hooks.handlers]]
name = "orders"
pattern = "orders.*"
type = "in_process"
handler_id = "noop"

[[hooks.handlers]]
name = "lax"
pattern = "hooks.kv.delete_committed.>"
type = "in_process"
handler_id = "noop"

[[hooks.handlers]]
name = "isolated-env"
pattern = "hooks.kv.delete_committed"
type = "shell"
command = 'test -z "$FIDELITY_PROBE"'

[[hooks.handlers]]
name = "workspace-cwd"
pattern = "hooks.kv.delete_committed"
type = "shell"
command = 'test "$(pwd)" = "${workspace}"'

[[hooks.handlers]]
name = "chatty"
pattern = "hooks.kv.delete_committed"
type = "shell"
command = "head -c 200000 /dev/zero"
timeout_ms = 1000

[[hooks.handlers]]
name = "hang"
pattern = "hooks.kv.delete_committed"
type = "in_process"
handler_id = "hang"
timeout_ms = 500
`);
}

describe('compareFidelity()', () => {
  let workspace: FidelityWorkspace;
  let comparison: FidelityComparison;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    comparison = await compareFidelity({
      configText: config(workspace.dir),
      workspaceDir: workspace.dir,
      inheritedEnv: { ...process.env, FIDELITY_PROBE: 'present' },
      settleTimeoutMs: scaled(20_000),
      steps: [
        { type: 'kv_put', key: 'config/a', value: '1' },
        { type: 'publish', topic: 'orders.created', payload: { id: 7 } },
        { type: 'kv_delete', key: 'config/a' },
      ],
    });
  });

  afterAll(async () => {
    await workspace?.remove();
  });

  it('settles both runs, the hung production handler by stopping its cluster', () => {
    expect(comparison.studio.isSettled).toBe(true);
    expect(comparison.production.isSettled).toBe(true);
    expect(comparison.nodes).toBe(3);
    expect(hookOf(comparison.hooks, 'hang').production.outcomes).toMatchObject({
      unfinished: 3,
      timedOut: 0,
    });
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.difference}: "${scenario.expectation}" passes in studio mode and fails in production mode`, () => {
      const hook = hookOf(comparison.hooks, scenario.hook);
      expect(scenario.holds(hook.studio)).toBe(true);
      expect(scenario.holds(hook.production)).toBe(false);
      expect(findingsOf(hook)).toContain(scenario.finding);
      const explained = hook.differences.find(
        (d) => d.finding === scenario.finding,
      );
      expect(explained?.isReported).toBe(true);
    });
  }

  it('links each observed finding of the report to the differences it explains', () => {
    const link = comparison.findings.find(
      (f) =>
        f.finding.id === 'job-never-runs' && f.finding.handler === 'job-hook',
    );
    expect(link?.observed).toHaveLength(1);
    expect(link?.observed[0]).toMatchObject({ kind: 'job-runs' });
  });
});
