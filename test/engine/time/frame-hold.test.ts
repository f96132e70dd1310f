// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { SeededRng } from '../../../engine/ports/rng';
import type { Message } from '../../../engine/raft/types';
import { FrameHold } from '../../../engine/time/frame-hold';
import { MemoryNetwork } from '../../../engine/transport/memory-network';
import { VirtualClock } from '../../support/virtual-clock';
import { makeMessage } from '../transport/messages';

function setup(maxFrames?: number) {
  const clock = new VirtualClock();
  const network = new MemoryNetwork({ clock, rng: new SeededRng(1) });
  const hold = new FrameHold(maxFrames);
  const a = hold.wrap(network.join(1));
  const b = hold.wrap(network.join(2));
  const got: string[] = [];
  const record = (m: Message) => got.push(`${m.from}→${m.to} ${m.term}`);
  a.onMessage(record);
  b.onMessage(record);
  return { clock, hold, a, b, got };
}

describe('FrameHold', () => {
  it('passes frames straight through while not holding', () => {
    const { clock, a, got } = setup();
    a.send([makeMessage(1, 2, { term: 3 })]);
    clock.runAll();
    expect(got).toEqual(['1→2 3']);
  });

  it('keeps frames that arrive while holding, then delivers them in order', () => {
    const { clock, hold, a, b, got } = setup();
    hold.hold();
    a.send([makeMessage(1, 2, { term: 1 })]);
    b.send([makeMessage(2, 1, { term: 2 })]);
    a.send([makeMessage(1, 2, { term: 3 })]);
    clock.runAll();
    expect(got).toEqual([]);
    expect(hold.list()).toEqual([
      { from: 1, to: 2, type: 'app', term: 1 },
      { from: 2, to: 1, type: 'app', term: 2 },
      { from: 1, to: 2, type: 'app', term: 3 },
    ]);
    expect(hold.releaseAll()).toBe(3);
    expect(got).toEqual(['1→2 1', '2→1 2', '1→2 3']);
    expect(hold.isHolding).toBe(false);
  });

  it('releases one frame per step, the oldest, and goes on holding', () => {
    const { clock, hold, a, got } = setup();
    hold.hold();
    a.send([makeMessage(1, 2, { term: 1 })]);
    a.send([makeMessage(1, 2, { term: 2 })]);
    clock.runAll();
    expect(hold.releaseOne()).toMatchObject({ from: 1, to: 2, term: 1 });
    expect(got).toEqual(['1→2 1']);
    a.send([makeMessage(1, 2, { term: 3 })]);
    clock.runAll();
    expect(got).toEqual(['1→2 1']);
    expect(hold.size).toBe(2);
    hold.releaseOne();
    hold.releaseOne();
    expect(hold.releaseOne()).toBeUndefined();
    expect(got).toEqual(['1→2 1', '1→2 2', '1→2 3']);
  });

  it('never hands a held frame to a node closed meanwhile', async () => {
    const { clock, hold, a, b, got } = setup();
    hold.hold();
    a.send([makeMessage(1, 2, { term: 1 })]);
    clock.runAll();
    await b.close();
    hold.releaseAll();
    expect(got).toEqual([]);
  });

  it('drops the oldest frame once the bound is reached', () => {
    const { clock, hold, a, got } = setup(2);
    hold.hold();
    for (const term of [1, 2, 3]) {
      a.send([makeMessage(1, 2, { term })]);
    }
    clock.runAll();
    expect(hold.dropped).toBe(1);
    hold.releaseAll();
    expect(got).toEqual(['1→2 2', '1→2 3']);
  });
});
