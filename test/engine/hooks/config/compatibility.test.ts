// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { compatibilityReport } from '../../../../engine/hooks/config/compatibility';
import { HooksConfigSchema } from '../../../../engine/hooks/config/schema';

const BASE = {
  name: 'h',
  pattern: 'hooks.kv.*',
  type: 'in_process',
  handler_id: 'audit',
};
const SHELL = { ...BASE, type: 'shell', command: 'true', working_dir: '/w' };
const FORWARD = {
  ...BASE,
  type: 'forward',
  target_cluster: 'aspenabc234',
  target_topic: 'x',
};
const IN_PROCESS_IDS = [
  'fires-on-every-node',
  'in-process-no-timeout',
  'in-process-unregistered',
];

function report(config: Record<string, unknown>) {
  return compatibilityReport(HooksConfigSchema.parse(config));
}

// ids of the one handler's findings, in report order
function handlerIds(fields: Record<string, unknown>) {
  return report({ handlers: [{ ...BASE, ...fields }] })
    .filter((finding) => finding.handler === 'h')
    .map((finding) => finding.id);
}

describe('compatibilityReport', () => {
  it.each([
    ['a direct in-process handler', {}, IN_PROCESS_IDS],
    [
      'a job handler, whatever its type',
      { execution_mode: 'job' },
      ['job-never-runs'],
    ],
    ['a disabled handler', { enabled: false }, []],
    [
      'a direct shell handler',
      SHELL,
      ['fires-on-every-node', 'stdout-never-read', 'inherits-node-environment'],
    ],
    [
      'a forward with a ticket',
      { ...FORWARD, execution_mode: 'job' },
      [
        'job-never-runs',
        'forward-target-topic-dropped',
        'forward-event-name-rejected',
      ],
    ],
    [
      'a forward to a name',
      { ...FORWARD, execution_mode: 'job', target_cluster: 'analytics' },
      [
        'job-never-runs',
        'forward-target-topic-dropped',
        'forward-event-name-rejected',
        'forward-ticket-invalid',
      ],
    ],
    [
      'changed direct retries',
      { retry_count: 5 },
      [
        ...IN_PROCESS_IDS.slice(0, 1),
        'retry-count-ignored',
        ...IN_PROCESS_IDS.slice(1),
      ],
    ],
    ['default direct retries', { retry_count: 3 }, IN_PROCESS_IDS],
    [
      'changed job retries',
      { retry_count: 5, execution_mode: 'job' },
      ['job-never-runs'],
    ],
    [
      'a known priority',
      { job_priority: 'high', execution_mode: 'job' },
      ['job-never-runs'],
    ],
    [
      'a miscased priority',
      { job_priority: 'High', execution_mode: 'job' },
      ['job-never-runs', 'unknown-priority-normal'],
    ],
    [
      'a studio key',
      { studio_jitter: false, execution_mode: 'job' },
      ['job-never-runs', 'studio-keys-ignored'],
    ],
    [
      'a short grace on shell',
      { ...SHELL, execution_mode: 'job', studio_grace_ms: 100 },
      ['job-never-runs', 'studio-keys-ignored', 'grace-period-differs'],
    ],
    [
      'a 5 s grace on shell',
      { ...SHELL, execution_mode: 'job', studio_grace_ms: 5000 },
      ['job-never-runs', 'studio-keys-ignored'],
    ],
    [
      'a short grace elsewhere',
      { execution_mode: 'job', studio_grace_ms: 100 },
      ['job-never-runs', 'studio-keys-ignored'],
    ],
  ])('reports exactly its findings for %s', (_case, fields, ids) => {
    expect(handlerIds(fields)).toEqual(ids);
  });

  it.each([
    ['hooks.kv.*', []],
    ['orders.*', [['user-topics-never-reach-hooks', 'error']]],
    ['*.kv.*', [['user-topics-never-reach-hooks', 'info']]],
    [
      '>',
      [
        ['user-topics-never-reach-hooks', 'info'],
        ['gt-matches-zero-tokens', 'info'],
      ],
    ],
    ['hooks.ci.*', [['no-emitted-event', 'error']]],
    ['hooks.kv.>', [['gt-matches-zero-tokens', 'info']]],
    ['hooks.kv.write_committed.>', [['gt-matches-zero-tokens', 'warning']]],
  ])(
    'judges the pattern %s by the events production sends',
    (pattern, want) => {
      const findings = report({
        handlers: [{ ...BASE, pattern, execution_mode: 'job' }],
      }).filter((item) => /topic|event|tokens/.test(item.id));

      expect(findings.map((item) => [item.id, item.severity])).toEqual(want);
    },
  );

  it('names the environment and working directory the studio gave', () => {
    const config = { studio: { env: { TOKEN: 't' } } };
    const message = (fields: Record<string, unknown>) =>
      report({ ...config, handlers: [{ ...SHELL, ...fields }] }).find(
        (item) => item.id === 'inherits-node-environment',
      )?.message;

    expect(message({})).toContain('[studio.env] (TOKEN)');
    expect(message({})).not.toContain('working');
    expect(message({ working_dir: undefined })).toContain(
      "node's working directory",
    );
    expect(message({ working_dir: 'out' })).toContain(
      'resolves working_dir "out"',
    );
  });

  it('reports config-wide findings only when they apply', () => {
    const direct = (name: string) => ({ ...BASE, name });
    const ids = (config: Record<string, unknown>) =>
      report(config)
        .filter((item) => item.handler === undefined)
        .map((item) => item.id);

    expect(ids({})).toEqual([]);
    expect(
      ids({
        publish_topics: ['hooks.>'],
        handlers: [direct('a'), direct('b')],
        studio: {},
      }),
    ).toEqual([
      'handlers-not-loaded-from-file',
      'publish-topics-unused',
      'sequential-dispatch',
      'studio-table-ignored',
    ]);
    expect(
      ids({ handlers: [direct('a'), { ...direct('b'), enabled: false }] }),
    ).toEqual(['handlers-not-loaded-from-file']);
  });

  it('reports no handler findings when hooks are disabled', () => {
    const findings = report({ enabled: false, handlers: [BASE] });

    expect(findings.map((item) => item.id)).toEqual([
      'handlers-not-loaded-from-file',
    ]);
  });
});
