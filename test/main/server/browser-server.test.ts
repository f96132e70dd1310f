// @vitest-environment node
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  startBrowserServer,
  type BrowserServer,
} from '../../../main/server/browser-server';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

function call(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('startBrowserServer()', () => {
  let server: BrowserServer;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aspen-renderer-'));
    writeFileSync(join(dir, 'index.html'), '<p>shell</p>');
    server = await startBrowserServer({
      rendererDir: dir,
      handlers: { 'app:info': () => ({ version: '9', carrier: 'browser' }) },
    });
  });

  afterAll(() => server.close());

  it('binds only the loopback address', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
  });

  it('serves the page with the CSP header', async () => {
    const reply = await call(server.port, '/', {});
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('<p>shell</p>');
    expect(reply.headers['content-security-policy']).toContain(
      "script-src 'self'",
    );
  });

  it('refuses an API request without the token', async () => {
    const reply = await call(server.port, '/api/app:info', {
      method: 'POST',
      body: '{}',
    });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).code).toBe('UNAUTHORIZED');
  });

  it('refuses an API request with a wrong token', async () => {
    const reply = await call(server.port, '/api/app:info', {
      method: 'POST',
      headers: { 'x-aspen-token': 'x'.repeat(server.token.length) },
      body: '{}',
    });
    expect(reply.status).toBe(401);
  });

  it('answers an API request with the token', async () => {
    const reply = await call(server.port, '/api/app:info', {
      method: 'POST',
      headers: { 'x-aspen-token': server.token },
      body: '{}',
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      version: '9',
      carrier: 'browser',
    });
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const reply = await call(server.port, '/', {
      headers: { host: `evil.example:${server.port}` },
    });
    expect(reply.status).toBe(403);
  });

  it('refuses a foreign Origin', async () => {
    const reply = await call(server.port, '/api/app:info', {
      method: 'POST',
      headers: {
        origin: 'http://evil.example',
        'x-aspen-token': server.token,
      },
      body: '{}',
    });
    expect(reply.status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const reply = await call(server.port, '/..%2f..%2fetc%2fpasswd', {});
    expect(reply.status).toBe(404);
  });

  it('rejects a body that is not JSON with a clear error', async () => {
    const reply = await call(server.port, '/api/app:info', {
      method: 'POST',
      headers: { 'x-aspen-token': server.token },
      body: '{not json',
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).code).toBe('BAD_REQUEST');
  });
});
