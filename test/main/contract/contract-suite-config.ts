import { readFile } from 'node:fs/promises';

import { expect, it } from 'vitest';

import { failure, type SuiteContext } from './contract-helpers';

const GOOD = `[hooks]
enabled = true

[[hooks.handlers]]
name = "audit"
pattern = "orders.*"
type = "shell"
command = "echo hi"
`;

const UNKNOWN_TYPE = `[hooks]
[[hooks.handlers]]
name = "hook"
pattern = "orders.*"
type = "webhook"
`;

const MALFORMED = '[hooks\nenabled = true\n';

/** Config, jobs, hooks and matching channels, good and bad. */
export function configChecks(s: SuiteContext): void {
  it('reads the workspace config beside what the log holds', async () => {
    const config = await s.api().invoke('config:get', {});
    expect(config.file).toBe(`${s.service().workspace.dir}/hooks.toml`);
    expect(config.text).toContain('[[hooks.handlers]]');
    expect(config.diagnostics.filter((d) => d.severity === 'error')).toEqual(
      [],
    );
  });

  it('validates malformed TOML and an unknown handler type with places', async () => {
    const malformed = await s
      .api()
      .invoke('config:validate', { text: MALFORMED });
    expect(malformed.isValid).toBe(false);
    expect(malformed.diagnostics[0]).toMatchObject({
      file: 'hooks.toml',
      line: 1,
    });
    const unknown = await s.api().invoke('config:validate', {
      text: UNKNOWN_TYPE,
      file: 'x.toml',
    });
    expect(unknown.isValid).toBe(false);
    expect(unknown.diagnostics[0]).toMatchObject({ file: 'x.toml', line: 5 });
    expect(unknown.diagnostics[0]?.message).toContain(
      'unknown variant `webhook`',
    );
  });

  it('refuses to apply a bad config and leaves the applied one', async () => {
    const before = (await s.api().invoke('config:get', {})).applied;
    const error = await failure(
      s.api().invoke('config:apply', { text: UNKNOWN_TYPE }),
    );
    expect(error.code).toBe('INVALID_HOOKS_CONFIG');
    expect(error.message).toMatch(
      /^hooks\.toml:5:8: unknown variant `webhook`/,
    );
    expect((await s.api().invoke('config:get', {})).applied).toEqual(before);
  });

  it('applies a config to the log and the workspace file', async () => {
    const before =
      (await s.api().invoke('config:get', {})).applied?.version ?? 0;
    const applied = await s.api().invoke('config:apply', { text: GOOD });
    expect(applied.version).toBe(before + 1);
    expect(applied.index).toBeGreaterThan(0);
    const file = `${s.service().workspace.dir}/hooks.toml`;
    expect(await readFile(file, 'utf8')).toBe(GOOD);
    const config = await s.api().invoke('config:get', {});
    expect(config.isApplied).toBe(true);
    expect(config.applied?.version).toBe(before + 1);
  });

  it('exports in every format with the compatibility report', async () => {
    const toml = await s.api().invoke('config:export', { format: 'toml' });
    expect(toml.content).toContain('name = "audit"');
    expect(toml.report.map((f) => f.id)).toContain(
      'user-topics-never-reach-hooks',
    );
    const json = await s.api().invoke('config:export', {
      text: GOOD,
      format: 'json',
    });
    expect(JSON.parse(json.content).handlers[0].name).toBe('audit');
    const kv = await s.api().invoke('config:export', { format: 'plugin-kv' });
    expect(JSON.parse(kv.content).key).toBe('__hooks:config');
    const bad = await failure(
      s.api().invoke('config:export', { text: MALFORMED, format: 'toml' }),
    );
    expect(bad.code).toBe('INVALID_HOOKS_CONFIG');
    const format = await failure(
      s.api().invoke('config:export', { format: 'yaml' as 'toml' }),
    );
    expect(format.code).toBe('BAD_REQUEST');
    expect(format.message).toMatch(/^config:export: format: /);
  });

  it('imports a production JSON config as hooks.toml text', async () => {
    const json = JSON.stringify({
      enabled: true,
      handlers: [
        { name: 'a', pattern: 'hooks.kv.*', type: 'shell', command: 'true' },
      ],
    });
    const imported = await s
      .api()
      .invoke('config:import', { text: json, format: 'json' });
    expect(imported.text).toContain('[[hooks.handlers]]');
    const bad = await failure(
      s
        .api()
        .invoke('config:import', { text: '{"handlers": 3}', format: 'json' }),
    );
    expect(bad.code).toBe('INVALID_HOOKS_CONFIG');
  });

  it('serves the editor schema', async () => {
    const { schema } = await s.api().invoke('config:schema', {});
    expect(schema.title).toBe('hooks.toml');
  });

  it('lists the applied hooks with their live metrics', async () => {
    const list = await s.api().invoke('hooks:list', {});
    expect(list.isDispatching).toBe(true);
    expect(list.hooks).toHaveLength(1);
    expect(list.hooks[0]).toMatchObject({
      name: 'audit',
      pattern: 'orders.*',
      type: 'shell',
      executionMode: 'direct',
      enabled: true,
    });
    expect(list.hooks[0]!.metrics).toMatchObject({
      matched: expect.any(Number),
      succeeded: expect.any(Number),
    });
  });

  it('lists jobs and answers DLQ actions on entries that are not there', async () => {
    const { jobs, dlq } = await s.api().invoke('jobs:list', {});
    expect(jobs.priorities.map((p) => p.priority)).toEqual([
      'critical',
      'high',
      'normal',
      'low',
    ]);
    expect(dlq).toEqual([]);
    const redrive = await s.api().invoke('jobs:redrive', { ids: ['job-404'] });
    expect(redrive).toEqual({
      redriven: [],
      skipped: ['job-404'],
      isAttemptCountReset: true,
    });
    const purge = await s.api().invoke('jobs:purge', { all: {} });
    expect(purge).toEqual({ purged: [], skipped: [] });
    const bad = await failure(s.api().invoke('jobs:purge', { ids: [] }));
    expect(bad.code).toBe('BAD_REQUEST');
  });

  it('matches subjects against a pattern and against the hooks', async () => {
    const byPattern = await s.api().invoke('match:test', {
      mode: 'pattern',
      pattern: 'orders.>',
      subjects: ['orders.created', 'orders', 'orders..x'],
    });
    expect(byPattern.results.map((r) => r.verdict)).toEqual([
      'match',
      'no-match',
      'invalid',
    ]);
    expect(byPattern.results[1]?.isProductionMatch).toBe(true);
    expect(byPattern.results[2]?.reason).toContain('is empty');
    const byConfig = await s.api().invoke('match:test', {
      mode: 'config',
      subjects: ['orders.created', 'users.created'],
    });
    expect(byConfig.results.map((r) => r.hooks)).toEqual([['audit'], []]);
  });

  it('refuses an invalid pattern and an invalid config to match with', async () => {
    const pattern = await failure(
      s.api().invoke('match:test', {
        mode: 'pattern',
        pattern: 'a.>.b',
        subjects: ['a.b'],
      }),
    );
    expect(pattern.code).toBe('INVALID_PATTERN');
    expect(pattern.message).toContain('token 1');
    const config = await failure(
      s.api().invoke('match:test', {
        mode: 'config',
        text: UNKNOWN_TYPE,
        subjects: ['a.b'],
      }),
    );
    expect(config.code).toBe('INVALID_HOOKS_CONFIG');
  });
}
