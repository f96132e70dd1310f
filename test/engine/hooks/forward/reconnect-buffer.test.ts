// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  DEFAULT_RECONNECT_BUFFER_BYTES,
  ReconnectBuffer,
} from '../../../../engine/hooks/forward/reconnect-buffer';

const item = (bytes: number) => ({ bytes });

describe('ReconnectBuffer', () => {
  it('defaults to 8 MiB', () => {
    expect(new ReconnectBuffer().limitBytes).toBe(8 * 1024 * 1024);
    expect(DEFAULT_RECONNECT_BUFFER_BYTES).toBe(8 * 1024 * 1024);
  });

  it('turns a forward away and counts it when held bytes would pass the limit', () => {
    const buffer = new ReconnectBuffer(100);
    const first = item(60);
    expect(buffer.admit(first.bytes)).toBe(true);
    buffer.hold(first);
    expect(buffer.admit(41)).toBe(false);
    expect(buffer.admit(40)).toBe(true);
    expect(buffer.rejected).toBe(1);
    expect(buffer.bytes).toBe(60);
  });

  it('hands held forwards back oldest first and frees their bytes', () => {
    const buffer = new ReconnectBuffer(100);
    const [a, b, c] = [item(10), item(20), item(30)];
    for (const held of [a, b, c]) {
      buffer.hold(held);
    }
    expect(buffer.drop(b)).toBe(true);
    expect(buffer.drop(b)).toBe(false);
    expect(buffer.bytes).toBe(40);
    expect(buffer.takeAll()).toEqual([a, c]);
    expect(buffer.waiting).toBe(0);
    expect(buffer.bytes).toBe(0);
  });

  it('keeps sent bytes counted until a later confirmation or a redial', () => {
    const buffer = new ReconnectBuffer(100);
    const one = buffer.send(30);
    const two = buffer.send(30);
    const three = buffer.send(30);
    expect(buffer.admit(11)).toBe(false);

    // the server reads in order: two's answer covers one as well
    buffer.confirm(two);
    expect(buffer.bytes).toBe(30);
    buffer.confirm(one);
    expect(buffer.bytes).toBe(30);

    buffer.unsend(three);
    expect(buffer.bytes).toBe(0);
    buffer.send(50);
    buffer.forgetSent();
    expect(buffer.bytes).toBe(0);
  });
});
