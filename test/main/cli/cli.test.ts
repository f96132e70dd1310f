// @vitest-environment node
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI from source, as `npx tsx main/cli/index.ts …` from the
 * repository (where npx finds tsx); files are named by absolute path.
 */
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['--no-install', 'tsx', 'main/cli/index.ts', ...args],
      { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : Number(error.code);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const GOOD = `[hooks]
enabled = true

[[hooks.handlers]]
name = "audit"
pattern = "hooks.kv.*"
type = "shell"
command = "echo hi"
`;

const BAD = `[hooks]
[[hooks.handlers]]
name = "audit"
pattern = "orders.>.x"
type = "webhook"
`;

describe('aspen-studio CLI', { timeout: 30_000 }, () => {
  let dir: string;
  let good: string;
  let bad: string;
  let broken: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aspen-cli-'));
    good = join(dir, 'good.toml');
    bad = join(dir, 'bad.toml');
    broken = join(dir, 'broken.toml');
    await writeFile(good, GOOD);
    await writeFile(bad, BAD);
    await writeFile(broken, '[hooks\n');
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('validates a good config with exit 0', async () => {
    const run = await cli(['validate', good]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toContain(`${good}: valid`);
  });

  it('prints each error as file:line:col: message and exits 2', async () => {
    const run = await cli(['validate', bad]);
    expect(run.code).toBe(2);
    expect(run.stdout.trim().split('\n')).toEqual([
      `${bad}:5:8: unknown variant \`webhook\`, expected one of \`in_process\`, \`shell\`, \`forward\``,
      expect.stringMatching(
        /^\/.*\/bad\.toml:4:\d+: invalid pattern "orders\.>\.x"/,
      ),
    ]);
    const syntax = await cli(['validate', broken]);
    expect(syntax.code).toBe(2);
    expect(syntax.stdout).toMatch(/^\/.*\/broken\.toml:1:\d+: /);
  });

  it('gives --json output for machines', async () => {
    const run = await cli(['validate', bad, '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.isValid).toBe(false);
    expect(report.diagnostics[0]).toMatchObject({
      file: bad,
      line: 5,
      column: 8,
    });
  });

  it('exports JSON on stdout with the compatibility report on stderr', async () => {
    const run = await cli(['export', good, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).handlers[0].name).toBe('audit');
    expect(run.stderr).toContain('compatibility report');
    expect(run.stderr).toContain('fires-on-every-node');
  });

  it('exports the plugin KV record to a file', async () => {
    const out = join(dir, 'kv.json');
    const run = await cli(['export', good, '--format', 'plugin-kv', '-o', out]);
    expect(run.code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8')).key).toBe('__hooks:config');
  });

  it('refuses to export an invalid config or an unknown format with exit 2', async () => {
    const invalid = await cli(['export', bad, '--format', 'toml']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(`${bad}:5:8: unknown variant`);
    const format = await cli(['export', good, '--format', 'yaml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('unknown format "yaml"');
  });

  it('matches subjects against a pattern, invalid ones with the reason', async () => {
    const run = await cli([
      'match',
      'orders.>',
      'orders.created',
      'orders',
      'a..b',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout.trim().split('\n')).toEqual([
      'orders.created: match',
      'orders: no match (production: match)',
      'a..b: invalid: invalid subject "a..b": token 1 "" (offset 2) is empty',
    ]);
    const ok = await cli(['match', 'orders.*', 'orders.created', 'users.x']);
    expect(ok).toMatchObject({
      code: 0,
      stdout: 'orders.created: match\nusers.x: no match\n',
    });
  });

  it('refuses an invalid pattern with exit 2', async () => {
    const run = await cli(['match', 'a.>.b', 'a.b']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid pattern "a.>.b"');
  });

  it('says which hooks of a config receive each subject', async () => {
    const run = await cli([
      'match',
      '--config',
      good,
      'hooks.kv.write_committed',
      'orders.x',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(
      JSON.parse(run.stdout).results.map((r: { hooks: string[] }) => r.hooks),
    ).toEqual([['audit'], []]);
  });

  it('answers an unknown command or option as bad input', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    const option = await cli(['validate', good, '--nope']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--nope'");
  });
});
