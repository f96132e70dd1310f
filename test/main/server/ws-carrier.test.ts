// @vitest-environment node
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import {
  startBrowserServer,
  type BrowserServer,
} from '../../../main/server/browser-server';
import type { ServerMessage } from '../../../preload/contract';
import { waitFor } from '../../support/wait-for';

/** A client that records every server message and how it closed. */
function open(port: number, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
  const messages: ServerMessage[] = [];
  const state: { code?: number; error?: string } = {};
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  ws.on('close', (code) => (state.code = code));
  ws.on('error', (error) => (state.error = error.message));
  const opened = new Promise<void>((resolve) => ws.once('open', resolve));
  return { ws, messages, state, opened };
}

describe('WebSocket carrier', () => {
  let server: BrowserServer;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aspen-ws-'));
    writeFileSync(join(dir, 'index.html'), '<p>x</p>');
    server = await startBrowserServer({
      rendererDir: dir,
      version: '1.2.3',
      handlers: {
        'app:info': () => ({ version: '1.2.3', carrier: 'browser' }),
      },
    });
  });

  afterAll(() => server.close());

  it('answers requests after a hello with the token', async () => {
    const client = open(server.port);
    await client.opened;
    client.ws.send(JSON.stringify({ type: 'hello', token: server.token }));
    client.ws.send(
      JSON.stringify({
        type: 'invoke',
        id: 1,
        channel: 'app:info',
        payload: {},
      }),
    );
    await waitFor(() => client.messages.length === 2);
    expect(client.messages).toEqual([
      { type: 'welcome', version: '1.2.3' },
      {
        type: 'result',
        id: 1,
        ok: true,
        value: { version: '1.2.3', carrier: 'browser' },
      },
    ]);
    client.ws.close();
  });

  it('returns an unknown channel as an error with a code', async () => {
    const client = open(server.port);
    await client.opened;
    client.ws.send(JSON.stringify({ type: 'hello', token: server.token }));
    client.ws.send(
      JSON.stringify({ type: 'invoke', id: 9, channel: 'nope', payload: {} }),
    );
    await waitFor(() => client.messages.length === 2);
    expect(client.messages[1]).toMatchObject({
      id: 9,
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    client.ws.close();
  });

  it('closes a connection whose first message has a wrong token', async () => {
    const client = open(server.port);
    await client.opened;
    client.ws.send(JSON.stringify({ type: 'hello', token: 'wrong' }));
    await waitFor(() => client.state.code !== undefined);
    expect(client.state.code).toBe(4401);
    expect(client.messages).toEqual([]);
  });

  it('closes a connection that asks before saying hello', async () => {
    const client = open(server.port);
    await client.opened;
    client.ws.send(
      JSON.stringify({
        type: 'invoke',
        id: 1,
        channel: 'app:info',
        payload: {},
      }),
    );
    await waitFor(() => client.state.code !== undefined);
    expect(client.state.code).toBe(4401);
  });

  it('refuses an upgrade from a foreign origin', async () => {
    const client = open(server.port, { origin: 'http://evil.example' });
    await waitFor(() => client.state.error !== undefined);
    expect(client.state.error).toMatch(/403/);
  });

  it('pushes only to authenticated clients', async () => {
    const good = open(server.port);
    const silent = open(server.port);
    await Promise.all([good.opened, silent.opened]);
    good.ws.send(JSON.stringify({ type: 'hello', token: server.token }));
    await waitFor(() => server.pushes.clientCount === 1);
    server.pushes.broadcast('app:notice', { level: 'info', message: 'hi' });
    await waitFor(() => good.messages.length === 2);
    expect(good.messages[1]).toEqual({
      type: 'push',
      channel: 'app:notice',
      payload: { level: 'info', message: 'hi' },
    });
    expect(silent.messages).toEqual([]);
    good.ws.close();
    silent.ws.close();
  });

  it('closes on a malformed message after hello', async () => {
    const client = open(server.port);
    await client.opened;
    client.ws.send(JSON.stringify({ type: 'hello', token: server.token }));
    client.ws.send('{not json');
    await waitFor(() => client.state.code !== undefined);
    expect(client.state.code).toBe(1008);
  });
});
