// @vitest-environment node
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { scaled } from '../support/time-scale';
import { waitFor } from '../support/wait-for';

// `npm start` is the README's second command: it must build and serve
// the studio in browser mode where Electron's binary is missing.
describe('npm start', () => {
  it('builds, serves the studio on 127.0.0.1 and prints the address', async () => {
    const root = await mkdtemp(join(tmpdir(), 'aspen-start-'));
    const child = spawn(
      process.execPath,
      [
        'scripts/start.mjs',
        '--workspace',
        join(root, 'workspace'),
        '--data-dir',
        join(root, 'data'),
        '--port',
        '0',
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk));
    child.stderr.on('data', (chunk: Buffer) => (printed += chunk));
    try {
      const url = await waitFor(
        () => /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(printed)?.[0],
        { timeoutMs: scaled(60_000), what: `the address in: ${printed}` },
      );
      const page = await fetch(new URL('/', url));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const refused = await fetch(new URL('/api/app:info', url), {
        method: 'POST',
        body: '{}',
      });
      expect(refused.status).toBe(401);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(root, { recursive: true, force: true });
    }
  });
});
