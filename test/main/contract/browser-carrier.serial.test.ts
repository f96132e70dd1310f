// @vitest-environment node
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../../../engine/ports/logger';
import {
  startStudioServer,
  type StudioServer,
} from '../../../main/server/studio-server';
import { waitForLeader } from '../support/studio-fixture';
import { connectWs } from '../support/ws-client';
import { runContractSuite } from './contract-suite';

// A real studio service with a real 3-node cluster, served over real HTTP
// and WebSocket on 127.0.0.1, driven by a client that speaks the contract.
async function startServer(): Promise<{ studio: StudioServer; root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'aspen-browser-'));
  const rendererDir = join(root, 'renderer');
  await writeFile(join(root, 'index.html'), '<p>x</p>');
  const studio = await startStudioServer({
    workspace: join(root, 'workspace'),
    dataDir: join(root, 'data'),
    rendererDir,
    logger: silentLogger,
  });
  await waitForLeader(studio.service);
  return { studio, root };
}

runContractSuite('the browser-mode carrier', async () => {
  const { studio, root } = await startServer();
  const client = await connectWs(studio.server.port, studio.server.token);
  return {
    api: client.api,
    service: studio.service,
    close: async () => {
      await client.close();
      await studio.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

function post(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('browser mode of the studio', () => {
  let studio: StudioServer;
  let root: string;

  beforeAll(async () => {
    ({ studio, root } = await startServer());
  });

  afterAll(async () => {
    await studio?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('binds only the loopback address', () => {
    expect(studio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
  });

  it('refuses a request without the token and answers one with it', async () => {
    const refused = await post(studio.server.port, '/api/cluster:status', {});
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body).code).toBe('UNAUTHORIZED');
    const answered = await post(studio.server.port, '/api/cluster:status', {
      'x-aspen-token': studio.server.token,
    });
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body).nodes).toHaveLength(3);
  });

  it('refuses a WebSocket whose hello has the wrong token', async () => {
    await expect(connectWs(studio.server.port, 'wrong')).rejects.toThrow(
      'closed with 4401',
    );
  });
});
