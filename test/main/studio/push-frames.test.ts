// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { PushFrames, type PushSink } from '../../../main/studio/push-frames';
import type {
  ClusterStatus,
  PushChannel,
  PushMap,
} from '../../../preload/contract';
import { MachineLog } from '../support/machine-log';

function status(leader: number | null): ClusterStatus {
  return {
    leader,
    term: 1,
    commit: 0,
    clusterTime: 0,
    nodes: [],
    voters: [],
    learners: [],
    faults: { description: 'no faults', partition: [], cuts: [], links: [] },
    targets: [],
  };
}

function recorder() {
  const pushes: { channel: PushChannel; payload: unknown }[] = [];
  const sink: PushSink = (channel, payload) =>
    pushes.push({ channel, payload });
  const of = <C extends PushChannel>(channel: C) =>
    pushes
      .filter((p) => p.channel === channel)
      .map((p) => p.payload as PushMap[C]);
  return { sink, of };
}

describe('PushFrames', () => {
  it('sends at most the newest N events per frame and counts the rest', () => {
    const log = new MachineLog();
    const { sink, of } = recorder();
    const frames = new PushFrames(
      { machine: () => log.machine, status: () => status(1) },
      sink,
      { maxEvents: 10 },
    );
    log.publish('a.b', 25);
    frames.flush();
    const [batch] = of('events:batch');
    expect(batch?.events.map((e) => e.payload)).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ i: i + 15 })),
    );
    expect(batch?.skipped).toBe(15);
    expect(batch?.skippedFrom).toBe('1.0');
    expect(batch?.next).toBe('25.1');

    log.publish('a.c', 3);
    frames.flush();
    expect(of('events:batch')[1]).toMatchObject({
      skipped: 0,
      skippedFrom: null,
    });
    expect(of('events:batch')[1]?.events.map((e) => e.topic)).toEqual([
      'a.c',
      'a.c',
      'a.c',
    ]);
  });

  it('keeps a frame within its byte budget', () => {
    const log = new MachineLog();
    const { sink, of } = recorder();
    const frames = new PushFrames(
      { machine: () => log.machine, status: () => status(1) },
      sink,
      { maxFrameBytes: 1000 },
    );
    log.publish('a.b', 20, () => ({ text: 'x'.repeat(200) }));
    frames.flush();
    const [batch] = of('events:batch');
    expect(JSON.stringify(batch?.events).length).toBeLessThanOrEqual(1000);
    expect(batch?.events.length).toBeGreaterThan(0);
    expect(batch!.events.length + batch!.skipped).toBe(20);
    expect(batch?.events.at(-1)?.id).toBe('20.0');
  });

  it('sends nothing when nothing changed', () => {
    const log = new MachineLog();
    const { sink, of } = recorder();
    const frames = new PushFrames(
      { machine: () => log.machine, status: () => status(1) },
      sink,
    );
    frames.flush();
    frames.flush();
    frames.markStatusDirty();
    frames.flush();
    expect(of('cluster:status')).toHaveLength(1);
    expect(of('events:batch')).toEqual([]);
    expect(of('terminal:output')).toEqual([]);
  });

  it('coalesces status changes into one push per frame', () => {
    let leader: number | null = null;
    const { sink, of } = recorder();
    const frames = new PushFrames(
      { machine: () => undefined, status: () => status(leader) },
      sink,
    );
    frames.flush();
    leader = 2;
    frames.markStatusDirty();
    frames.markStatusDirty();
    frames.flush();
    expect(of('cluster:status').map((s) => s.leader)).toEqual([null, 2]);
  });

  it('leaves large payloads out of the feed and says how large', () => {
    const log = new MachineLog();
    const { sink, of } = recorder();
    const frames = new PushFrames(
      { machine: () => log.machine, status: () => status(1) },
      sink,
      { maxPayloadBytes: 100 },
    );
    log.publish('big.one', 1, () => ({ text: 'x'.repeat(500) }));
    frames.flush();
    expect(of('events:batch')[0]?.events[0]).toMatchObject({
      payload: null,
      payloadBytes: 511,
    });
  });

  it('bounds terminal output per frame and counts what it dropped', () => {
    const { sink, of } = recorder();
    const frames = new PushFrames(
      { machine: () => undefined, status: () => status(1) },
      sink,
      { maxChunks: 2, maxQueuedChunks: 3 },
    );
    for (let i = 0; i < 5; i++) {
      frames.terminal({
        node: 1,
        hook: 'h',
        eventId: '1.0',
        attempt: 1,
        stream: 'stdout',
        text: `line ${i}\n`,
      });
    }
    frames.flush();
    frames.flush();
    const output = of('terminal:output');
    expect(output.map((o) => o.chunks.map((c) => c.text))).toEqual([
      ['line 2\n', 'line 3\n'],
      ['line 4\n'],
    ]);
    expect(output.map((o) => o.skipped)).toEqual([2, 0]);
  });
});
