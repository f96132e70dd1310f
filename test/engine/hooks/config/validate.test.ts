// @vitest-environment node
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseHooksToml } from '../../../../engine/hooks/config/parse';
import { HooksConfigSchema } from '../../../../engine/hooks/config/schema';
import { validateHooksConfig } from '../../../../engine/hooks/config/validate';

const FIXTURE = 'test/fixtures/hooks/one-error-per-rule.toml';

const EXAMPLE = 'test/fixtures/hooks/reference-example.toml';

function handler(fields: Record<string, unknown>) {
  return {
    name: 'h',
    pattern: 'hooks.kv.*',
    type: 'in_process',
    handler_id: 'x',
    ...fields,
  };
}

describe('validateHooksConfig', () => {
  it('reports each rule of the fixture at its line and column with production text', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const { config, diagnostics } = parseHooksToml(text, 'rules.toml');

    const seen = diagnostics.map((item) => [
      item.rule,
      item.line,
      item.column,
      item.message,
    ]);
    expect(config).toBeUndefined();
    expect(diagnostics.every((item) => item.file === 'rules.toml')).toBe(true);
    expect(seen).toEqual([
      ['TOO_MANY_HANDLERS', 79, 3, 'too many handlers: 65 (max 64)'],
      ['EMPTY_NAME', 14, 12, 'handler name cannot be empty'],
      ['NAME_TOO_LONG', 15, 12, 'handler name too long: 130 bytes (max 128)'],
      ['PATTERN_TOO_LONG', 16, 38, 'pattern too long: 266 bytes (max 256)'],
      [
        'TIMEOUT_TOO_LARGE',
        17,
        100,
        'invalid timeout: 30001 ms (max 30000 ms)',
      ],
      ['RETRY_COUNT_TOO_LARGE', 18, 126, 'invalid retry count: 6 (max 5)'],
      [
        'EMPTY_HANDLER_ID',
        19,
        79,
        'configuration invalid: handler_id cannot be empty',
      ],
      [
        'HANDLER_ID_TOO_LONG',
        20,
        81,
        'configuration invalid: handler_id too long: 129 bytes (max 128)',
      ],
      ['EMPTY_COMMAND', 21, 76, 'shell command cannot be empty'],
      [
        'COMMAND_TOO_LONG',
        22,
        78,
        'shell command too long: 4100 bytes (max 4096)',
      ],
      [
        'EMPTY_TARGET_CLUSTER',
        23,
        82,
        'configuration invalid: target_cluster cannot be empty',
      ],
      [
        'EMPTY_TARGET_TOPIC',
        24,
        106,
        'configuration invalid: target_topic cannot be empty',
      ],
      [
        'DUPLICATE_NAME',
        26,
        12,
        'configuration invalid: duplicate handler name: kv-audit',
      ],
      [
        'PUBLISH_TOPIC_TOO_LONG',
        11,
        3,
        'pattern too long: 257 bytes (max 256)',
      ],
      [
        'INVALID_PATTERN',
        28,
        49,
        'invalid pattern "hooks.>.kv": token 1 ">" is \'>\', which must be the last token',
      ],
      [
        'ZERO_TIMEOUT',
        29,
        100,
        'timeout_ms = 0: production accepts it, but the handler times out as soon as it has to wait for anything',
      ],
      [
        'UNKNOWN_PRIORITY',
        30,
        128,
        'unknown job_priority "High" becomes normal in production (known, case-sensitive: critical, high, normal, low)',
      ],
      [
        'JOB_ONLY_KEY',
        31,
        97,
        'retry_count only applies in job mode: a direct handler gets one attempt',
      ],
      ['UNKNOWN_KEY', 32, 87, 'unknown key `timout_ms`: production ignores it'],
    ]);
  });

  it('parses the production reference example with no diagnostics', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const { config, diagnostics } = parseHooksToml(text, 'example.toml');

    expect(diagnostics).toEqual([]);
    expect(config?.handlers.map((item) => item.retry_count)).toEqual([3, 5]);
    expect(config?.handlers[0]).toMatchObject({
      command: 'logger -t aspen "$ASPEN_HOOK_TOPIC"',
      enabled: true,
    });
  });

  it('counts name length in UTF-8 bytes when names have any characters', () => {
    const text = fc.string({ unit: 'binary', maxLength: 140 });
    fc.assert(
      fc.property(text, (name) => {
        const rules = validateHooksConfig({ handlers: [handler({ name })] });
        const bytes = Buffer.byteLength(name, 'utf8');
        const isTooLong = rules.some((rule) => rule.rule === 'NAME_TOO_LONG');
        expect(isTooLong).toBe(bytes > 128);
      }),
    );
  });

  it('still validates and counts disabled handlers', () => {
    const disabled = handler({ enabled: false, timeout_ms: 40_000 });
    const rules = validateHooksConfig({ handlers: [disabled, disabled] });

    expect(rules.map((rule) => rule.rule)).toEqual([
      'TIMEOUT_TOO_LARGE',
      'TIMEOUT_TOO_LARGE',
      'DUPLICATE_NAME',
    ]);
  });

  it('warns about job-only keys only when the handler is direct', () => {
    const direct = handler({ retry_count: 1, job_priority: 'low' });
    const job = { ...direct, name: 'j', execution_mode: 'job' };
    const defaulted = HooksConfigSchema.parse({ handlers: [handler({})] });
    const rules = validateHooksConfig({ handlers: [direct, job] });

    expect(rules.map((rule) => [rule.rule, rule.path.join('.')])).toEqual([
      ['JOB_ONLY_KEY', 'handlers.0.retry_count'],
      ['JOB_ONLY_KEY', 'handlers.0.job_priority'],
    ]);
    expect(validateHooksConfig(defaulted)).toEqual([]);
  });

  it('checks publish topics against the strict grammar', () => {
    const rules = validateHooksConfig({ publish_topics: ['hooks.>', 'a..b'] });

    expect(rules).toMatchObject([
      { rule: 'INVALID_PATTERN', path: ['publish_topics', 1], offset: 2 },
    ]);
  });
});
