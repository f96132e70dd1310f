// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  displayEventType,
  eventTypeOf,
  msFromNtp64,
  ntp64FromMs,
  toHookEvent,
  toHookJson,
} from '../../../engine/state/hook-event';
import type { StateEvent } from '../../../engine/state/module';

const event: StateEvent = {
  id: { index: 42, offset: 1 },
  topic: 'hooks.kv.write_committed',
  time: 1_700_000_000_250,
  payload: { key: 'k', value_size_bytes: 3, is_create: true },
  depth: 0,
};

describe('toHookEvent', () => {
  it('writes production HookEvent JSON field for field', () => {
    const json = JSON.parse(
      toHookJson(toHookEvent(event, 2)).replace(/"time":(\d+)/, '"time":"$1"'),
    );
    expect(Object.keys(json)).toEqual([
      'event_type',
      'log_index',
      'timestamp',
      'node_id',
      'payload',
    ]);
    expect(json).toEqual({
      event_type: 'write_committed',
      log_index: 42,
      timestamp: {
        time: ((1_700_000_000n << 32n) + (250n << 32n) / 1000n).toString(),
        id: [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      },
      node_id: 2,
      payload: { key: 'k', value_size_bytes: 3, is_create: true },
    });
  });

  it('writes the NTP64 time as an exact u64 integer', () => {
    const text = toHookJson(toHookEvent(event, 1));
    const time = /"time":(\d+)/.exec(text)?.[1];
    expect(BigInt(time!)).toBe(ntp64FromMs(event.time));
    expect(msFromNtp64(BigInt(time!))).toBe(event.time);
  });

  it('names event types as production serde and display forms do', () => {
    const cases = [
      ['hooks.kv.ttl_expired', 'ttl_expired', 'kv.ttl_expired'],
      [
        'hooks.cluster.leader_elected',
        'leader_elected',
        'cluster.leader_elected',
      ],
      ['hooks.blob.blob_added', 'blob_added', 'blob.blob_added'],
      [
        'hooks.forge.push_completed',
        'forge_push_completed',
        'forge.push_completed',
      ],
      ['hooks.docs.sync_started', 'docs_sync_started', 'docs.sync_started'],
      ['orders.created', 'orders.created', 'orders.created'],
    ];
    for (const [topic, serde, display] of cases) {
      expect([eventTypeOf(topic!), displayEventType(topic!)]).toEqual([
        serde,
        display,
      ]);
    }
  });

  it('writes bytes as integer arrays and leaves undefined fields out', () => {
    const text = toHookJson({
      a: Uint8Array.of(1, 255),
      b: undefined,
      c: [null],
    });
    expect(text).toBe('{"a":[1,255],"c":[null]}');
  });
});
