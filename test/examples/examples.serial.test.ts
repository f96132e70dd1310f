// @vitest-environment node
// The example workspace is documentation that runs: every scenario in
// examples/ must pass through the real CLI, on real clusters, in its own
// process, exactly as CI and a newcomer run it.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScenarioReport } from '../../main/cli/scenario-runner';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'main', 'cli', 'index.ts');
const EXAMPLES = join(ROOT, 'examples');

interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

// `aspen-studio test …` from source, so the test needs no build
function aspenStudio(args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ code, out, err }));
  });
}

interface TestJson {
  passed: number;
  failed: number;
  scenarios: ScenarioReport[];
}

describe('examples/', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'aspen-examples-'));
  });

  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('passes every scenario of the example workspace', async () => {
    const run = await aspenStudio(['test', 'examples/', '--json']);
    const report = JSON.parse(run.out) as TestJson;

    // the names first, so a failure says which scenario broke and why
    const failures = report.scenarios
      .filter((scenario) => !scenario.passed)
      .map((scenario) => ({
        file: scenario.file,
        steps: scenario.steps.filter((step) => !step.ok),
        expects: scenario.expects.filter((expect) => !expect.ok),
      }));
    expect(failures).toEqual([]);
    expect(report.scenarios.map((s) => basename(s.file)).sort()).toEqual([
      'cache-invalidate.toml',
      'failover-jobs.toml',
      'flaky-retry-dlq.toml',
      'forward-analytics.toml',
      'kv-audit.toml',
    ]);
    expect(report).toMatchObject({ passed: 5, failed: 0 });
    expect(run.code).toBe(0);
  }, 180_000);

  it('fails a broken copy of a scenario with exit 1 and shows what differs', async () => {
    // a copy of the workspace, so the scenario's config and handlers resolve
    const copy = join(scratch, 'workspace');
    const scratchOutput = join(EXAMPLES, 'work') + sep;
    await cp(EXAMPLES, copy, {
      recursive: true,
      filter: (source) =>
        !source.startsWith(scratchOutput) || basename(source) === '.gitignore',
    });
    const original = join(copy, 'scenarios', 'kv-audit.toml');
    const text = await readFile(original, 'utf8');
    const broken = text.replace(
      'pattern = "hooks.kv.write_committed", count = 2',
      'pattern = "hooks.kv.write_committed", count = 3',
    );
    expect(broken).not.toBe(text);
    const file = join(copy, 'scenarios', 'kv-audit-broken.toml');
    await writeFile(file, broken);
    await rm(original);

    const run = await aspenStudio(['test', file, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as TestJson;
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    const [scenario] = report.scenarios;
    expect(scenario?.steps.every((step) => step.ok)).toBe(true);
    expect(scenario?.expects.filter((e) => !e.ok)).toEqual([
      {
        describe: 'events hooks.kv.write_committed = 3',
        ok: false,
        detail: '2 events',
      },
    ]);
    // what was expected and what was seen, on the line a human reads
    expect(run.err).toContain(
      'expect events hooks.kv.write_committed = 3: FAILED (2 events)',
    );
    expect(run.err).toContain(`✗ failed: ${file}`);
  }, 60_000);
});
