// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  parseHooksJson,
  parseHooksToml,
} from '../../../../engine/hooks/config/parse';

const SHELL = `[hooks]

[[hooks.handlers]]
name = "a"
pattern = "hooks.kv.*"
type = "shell"
command = "true"
`;

function summary(text: string, parse = parseHooksToml) {
  const { config, diagnostics } = parse(text, 'f');
  return {
    isValid: config !== undefined,
    found: diagnostics.map((item) => [
      item.rule,
      item.line,
      item.column,
      item.message,
    ]),
  };
}

describe('parseHooksToml', () => {
  it('reports a TOML syntax error at smol-toml’s line and column', () => {
    expect(summary('[hooks]\nenabled = = true\n')).toEqual({
      isValid: false,
      found: [['TOML_SYNTAX', 2, 11, 'invalid value']],
    });
  });

  it('words schema errors as serde does and places them', () => {
    const text = `[hooks]
enabled = "yes"

[[hooks.handlers]]
pattern = "hooks.kv.*"
type = "http"

[[hooks.handlers]]
name = "b"
pattern = "hooks.kv.*"
type = "in_process"
handler_id = "x"
timeout_ms = 5000.0
retry_count = -1
`;
    expect(summary(text).found).toEqual([
      [
        'INVALID_TYPE',
        2,
        11,
        'invalid type for `enabled`: string "yes", expected a boolean',
      ],
      [
        'UNKNOWN_VARIANT',
        6,
        8,
        'unknown variant `http`, expected one of `in_process`, `shell`, `forward`',
      ],
      [
        'OUT_OF_RANGE',
        14,
        15,
        'invalid value for `retry_count`: integer -1, expected at least 0',
      ],
      [
        'INVALID_TYPE',
        13,
        14,
        'invalid type for `timeout_ms`: float 5000.0, expected an integer',
      ],
      [
        'JOB_ONLY_KEY',
        14,
        1,
        'retry_count only applies in job mode: a direct handler gets one attempt',
      ],
    ]);
  });

  it('points a missing field at the table that lacks it', () => {
    const text = SHELL.replace('name = "a"\n', '');

    expect(summary(text).found).toEqual([
      ['MISSING_FIELD', 3, 1, 'missing field `name`'],
    ]);
  });

  it('reads a file without [hooks] as disabled, with a warning', () => {
    const { config, diagnostics } = parseHooksToml('# empty\n', 'f');

    expect(config?.enabled).toBe(false);
    expect(diagnostics.map((item) => item.rule)).toEqual(['NO_HOOKS_TABLE']);
  });

  it('keeps unknown keys but warns about them where they are', () => {
    const text = `${SHELL}colour = "red"\n\n[other]\nx = 1\n`;
    const { config, diagnostics } = parseHooksToml(text, 'f');

    expect(config?.handlers[0]).toMatchObject({ colour: 'red' });
    expect(config).not.toHaveProperty('other');
    expect(diagnostics.map((item) => [item.rule, item.line])).toEqual([
      ['UNKNOWN_KEY', 10],
      ['UNKNOWN_KEY', 8],
    ]);
  });

  it('fills the [studio] table with its defaults', () => {
    const text = `${SHELL}\n[studio]\nfidelity = "production"\n`;

    expect(parseHooksToml(text, 'f').config?.studio).toEqual({
      fidelity: 'production',
      env: {},
      max_depth: 8,
    });
  });
});

describe('parseHooksJson', () => {
  const handler =
    '{"name": "a", "pattern": "hooks.kv.*", "type": "shell", "command": "x"';

  it('reads null optional fields as absent, as serde does', () => {
    const text = `{"handlers": [${handler}, "working_dir": null}]}`;
    const { config, diagnostics } = parseHooksJson(text, 'f.json');

    expect(diagnostics).toEqual([]);
    expect(config?.handlers[0]).not.toHaveProperty('working_dir');
    expect(config?.enabled).toBe(true);
  });

  it('rejects repeated keys and __proto__ keys with their positions', () => {
    const text = `{"handlers": [${handler}, "name": "b"}],\n"__proto__": 1}`;

    expect(summary(text, parseHooksJson)).toEqual({
      isValid: false,
      found: [
        ['DUPLICATE_KEY', 1, 87, 'duplicate field `name`'],
        ['UNSAFE_KEY', 2, 1, 'the key `__proto__` is not allowed'],
      ],
    });
  });

  it('places a bad pattern token and a syntax error', () => {
    const bad = `{"handlers": [${handler.replace('kv.*', '*x.>')}}]}`;

    expect(summary(bad, parseHooksJson).found).toEqual([
      [
        'INVALID_PATTERN',
        1,
        47,
        'invalid pattern "hooks.*x.>": token 1 "*x" has a wildcard that is not the whole token',
      ],
    ]);
    expect(summary('{\n  "enabled": tru\n}', parseHooksJson).found).toEqual([
      ['JSON_SYNTAX', 2, 14, 'expected a value'],
    ]);
  });
});
