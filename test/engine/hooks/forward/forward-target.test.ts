// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  InvalidForwardTargetError,
  MAX_NATS_SUBJECT_BYTES,
  natsSubjectProblem,
  parseForwardTarget,
} from '../../../../engine/hooks/forward/forward-target';

function failure(cluster: string, topic: string): InvalidForwardTargetError {
  try {
    parseForwardTarget(cluster, topic);
  } catch (error) {
    if (error instanceof InvalidForwardTargetError) {
      return error;
    }
    throw error;
  }
  throw new Error(`accepted ${cluster} / ${topic}`);
}

describe('parseForwardTarget', () => {
  it('reads a nats URL and fills in the default port', () => {
    expect(parseForwardTarget('nats://127.0.0.1', 'orders.created')).toEqual({
      kind: 'nats',
      url: 'nats://127.0.0.1:4222',
      subject: 'orders.created',
    });
    expect(parseForwardTarget('nats://localhost:14222/', 'a')).toEqual({
      kind: 'nats',
      url: 'nats://localhost:14222',
      subject: 'a',
    });
  });

  it('reads studio:<name> as a second local cluster', () => {
    expect(parseForwardTarget('studio:downstream', 'hooks.in')).toEqual({
      kind: 'cluster',
      name: 'downstream',
      topic: 'hooks.in',
    });
  });

  it('takes a production ticket as the name of a local cluster', () => {
    const ticket = 'aspenmfrgg43fmnxw4ylumvzgk3tufzsxe5dpmfzgk';
    expect(parseForwardTarget(ticket, 'events')).toEqual({
      kind: 'cluster',
      name: ticket,
      topic: 'events',
    });
  });

  it('names the key when either one is empty', () => {
    expect(failure('', 'a').field).toBe('target_cluster');
    expect(failure('nats://127.0.0.1', '').field).toBe('target_topic');
    expect(failure('', 'a').code).toBe('INVALID_FORWARD_TARGET');
  });

  it('refuses URLs that are not plain nats://host:port', () => {
    const cases: Array<[string, RegExp]> = [
      ['tls://127.0.0.1:4222', /not a nats:\/\/ URL/],
      ['localhost:4222', /not a nats:\/\/ URL/],
      ['nats://user:secret@127.0.0.1', /credentials/],
      ['nats://127.0.0.1:4222/orders', /path, query or fragment/],
      ['nats://127.0.0.1:99999', /not a valid URL/],
    ];
    for (const [url, message] of cases) {
      const error = failure(url, 'a');
      expect(error.field).toBe('target_cluster');
      expect(error.message).toMatch(message);
    }
  });

  it('refuses a topic that is no valid subject, for either kind', () => {
    for (const cluster of ['nats://127.0.0.1', 'studio:b', 'aspenxyz']) {
      for (const topic of ['a..b', 'orders.*', 'a.>', 'sp ace']) {
        const error = failure(cluster, topic);
        expect(error.field).toBe('target_topic');
        expect(error.message).toContain(JSON.stringify(topic));
      }
    }
  });

  it('refuses a bad studio cluster name or a ticket with spaces', () => {
    expect(failure('studio:', 'a').message).toMatch(/1 to 64/);
    expect(failure('studio:a.b', 'a').message).toMatch(/1 to 64/);
    expect(failure('aspen abc', 'a').message).toMatch(/whitespace/);
  });
});

describe('natsSubjectProblem', () => {
  it('accepts the longest subject NATS takes and refuses one byte more', () => {
    const token = 'x'.repeat(248);
    const base = Array.from({ length: 16 }, () => token).join('.');
    const longest = base.slice(0, MAX_NATS_SUBJECT_BYTES);
    expect(Buffer.byteLength(longest)).toBe(MAX_NATS_SUBJECT_BYTES);
    expect(natsSubjectProblem(longest)).toBeUndefined();
    expect(natsSubjectProblem(longest + 'y')).toMatch(/3969 bytes/);
  });
});
