// @vitest-environment node
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  exportJson,
  exportPluginKv,
  exportToml,
} from '../../../../engine/hooks/config/export';
import { importConfig } from '../../../../engine/hooks/config/import';
import { HooksConfigSchema } from '../../../../engine/hooks/config/schema';

import { hooksConfig } from './config-arbitrary';

const EXAMPLE = readFileSync(
  'test/fixtures/hooks/reference-example.toml',
  'utf8',
);

const STUDIO_HANDLER = {
  name: 'slow "one"',
  pattern: 'hooks.kv.*',
  type: 'shell',
  command: 'printf \'%s\\n\' "$ASPEN_HOOK_TOPIC"',
  studio_jitter: true,
  studio_rate_limit: { per_second: 0.5, burst: 2 },
};

describe('importConfig', () => {
  it('reads back every valid config exported as TOML', () => {
    fc.assert(
      fc.property(hooksConfig, (config) => {
        const { config: imported } = importConfig(exportToml(config), 'toml');
        expect(imported).toEqual(config);
      }),
      { numRuns: 150 },
    );
  });

  it('reads back every valid config exported as JSON', () => {
    fc.assert(
      fc.property(hooksConfig, (config) => {
        const { config: imported } = importConfig(exportJson(config), 'json');
        expect(imported).toEqual(config);
      }),
      { numRuns: 150 },
    );
  });

  it('throws INVALID_HOOKS_CONFIG with the diagnostics when a rule fails', () => {
    const text = EXAMPLE.replace('retry_count = 5', 'retry_count = 9');

    expect(() => importConfig(text, 'toml', 'prod.toml')).toThrow(
      expect.objectContaining({
        code: 'INVALID_HOOKS_CONFIG',
        message: 'prod.toml:22:15: invalid retry count: 9 (max 5)',
        diagnostics: [
          expect.objectContaining({ rule: 'RETRY_COUNT_TOO_LARGE' }),
        ],
      }),
    );
  });
});

describe('exportToml', () => {
  it('writes the production shape, with literal strings where they read better', () => {
    const { config } = importConfig(EXAMPLE, 'toml');
    const text = exportToml(config);

    expect(text.split('\n').slice(0, 14)).toEqual([
      '[hooks]',
      'enabled = true',
      'publish_topics = ["hooks.>"]',
      '',
      '[[hooks.handlers]]',
      'name = "kv-audit"',
      'pattern = "hooks.kv.*"',
      'type = "shell"',
      `command = 'logger -t aspen "$ASPEN_HOOK_TOPIC"'`,
      'working_dir = "/var/lib/aspen"',
      'execution_mode = "direct"',
      'timeout_ms = 2000',
      'retry_count = 3',
      'enabled = true',
    ]);
  });

  it('leaves out studio keys and the [studio] table when asked to', () => {
    const config = HooksConfigSchema.parse({
      handlers: [STUDIO_HANDLER],
      studio: { env: { TOKEN: 'x' } },
    });
    const full = exportToml(config);
    const stripped = exportToml(config, { stripStudioKeys: true });

    expect(full).toContain(
      'studio_rate_limit = { per_second = 0.5, burst = 2 }',
    );
    expect(full).toContain('[studio.env]\nTOKEN = "x"');
    expect(stripped).not.toMatch(/studio/);
    expect(exportJson(config, { stripStudioKeys: true })).not.toMatch(/studio/);
  });

  it('refuses text with a lone surrogate instead of corrupting it', () => {
    const config = HooksConfigSchema.parse({
      handlers: [{ ...STUDIO_HANDLER, command: 'echo \ud800' }],
    });

    expect(() => exportToml(config)).toThrow(
      expect.objectContaining({
        code: 'UNENCODABLE_HOOKS_CONFIG',
        message: expect.stringContaining('hooks.handlers[0].command'),
      }),
    );
  });
});

describe('exportPluginKv', () => {
  it('writes the plugin record with is_enabled and a flat handler_type', () => {
    const { config } = importConfig(EXAMPLE, 'toml');
    const record = exportPluginKv(config);

    expect(record.key).toBe('__hooks:config');
    expect(JSON.parse(record.value)).toEqual({
      is_enabled: true,
      handlers: [
        {
          name: 'kv-audit',
          pattern: 'hooks.kv.*',
          handler_type: 'shell',
          execution_mode: 'direct',
          is_enabled: true,
          timeout_ms: 2000,
          retry_count: 3,
        },
        {
          name: 'to-analytics',
          pattern: 'hooks.>',
          handler_type: 'forward',
          execution_mode: 'job',
          is_enabled: true,
          timeout_ms: 5000,
          retry_count: 5,
        },
      ],
    });
  });
});
