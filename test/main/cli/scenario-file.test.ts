// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { parseScenario } from '../../../main/cli/scenario-file';

describe('parseScenario()', () => {
  it('reads steps and expectations in order', () => {
    const scenario = parseScenario(
      `nodes = 5
[[step]]
kill = "follower"
[[step]]
partition = [[1, 2], [3, 4, 5]]
[[step]]
heal = true
[[expect]]
leader = "changed"
within_ms = 100
`,
      'a.toml',
    );
    expect(scenario.nodes).toBe(5);
    expect(scenario.steps.map((s) => s.describe)).toEqual([
      'kill follower',
      'partition [[1,2],[3,4,5]]',
      'heal',
    ]);
    expect(scenario.expects.map((e) => [e.describe, e.withinMs])).toEqual([
      ['leader changed', 100],
    ]);
  });

  it('places a node that does not exist at its line and column', () => {
    const text = 'nodes = 3\n\n[[step]]\nkill = 4\n';
    expect(() => parseScenario(text, 's.toml')).toThrow(
      's.toml:4:8: node 4 does not exist: this scenario has nodes 1 to 3',
    );
  });

  it('places unknown kinds, unknown keys and bad patterns', () => {
    expect(() => parseScenario('[[step]]\nexplode = 1\n', 's.toml')).toThrow(
      /^s\.toml:1:1: a step needs one of: publish, /,
    );
    expect(() =>
      parseScenario(
        '[[step]]\npublish = { topic = "a", colour = 1 }\n',
        's.toml',
      ),
    ).toThrow(/^s\.toml:2:\d+: unknown key "colour"$/);
    expect(() =>
      parseScenario('[[expect]]\nevents = { pattern = "a.>.b" }\n', 's.toml'),
    ).toThrow(/^s\.toml:2:\d+: invalid pattern "a\.>\.b"/);
  });

  it('reports malformed TOML with its place', () => {
    expect(() => parseScenario('[[step]\n', 's.toml')).toThrow(
      /^s\.toml:1:\d+: /,
    );
  });
});
