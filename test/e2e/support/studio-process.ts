import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { InvokeChannel, InvokeMap } from '../../../preload/contract';
import { scaled } from '../../support/time-scale';

/** A real studio (`node out/main/serve.js`) on a fresh workspace. */
export interface StudioProcess {
  /** The address with the per-run token in the fragment. */
  url: string;
  workspace: string;
  /** Calls the real service over its HTTP API, as the CLI does. */
  invoke<C extends InvokeChannel>(
    channel: C,
    request: InvokeMap[C]['request'],
  ): Promise<InvokeMap[C]['response']>;
  /** Everything the process printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Builds nothing: expects `npx electron-vite build` to have run. Starts
 * the browser-mode server with its own workspace and data folders and
 * waits for it to print its address.
 */
export async function startStudio(
  options: { nodes?: number; files?: Record<string, string> } = {},
): Promise<StudioProcess> {
  const root = await mkdtemp(join(tmpdir(), 'aspen-e2e-'));
  const workspace = join(root, 'workspace');
  if (options.files !== undefined) {
    const { mkdir, writeFile } = await import('node:fs/promises');
    for (const [name, text] of Object.entries(options.files)) {
      const path = join(workspace, name);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, text);
    }
  }
  const args = [
    join(process.cwd(), 'out/main/serve.js'),
    '--workspace',
    workspace,
    '--data-dir',
    join(root, 'data'),
    '--port',
    '0',
    ...(options.nodes === undefined ? [] : ['--nodes', String(options.nodes)]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  let printed = '';
  child.stdout?.on('data', (data: Buffer) => (printed += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (printed += data.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`studio did not start:\n${printed}`)),
      scaled(30_000),
    );
    const check = () => {
      const match = /https?:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(printed);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`studio exited with ${code}:\n${printed}`));
    });
  });
  const { origin, hash } = new URL(url);
  const token = new URLSearchParams(hash.slice(1)).get('token') ?? '';

  return {
    url,
    workspace,
    async invoke(channel, request) {
      const response = await fetch(`${origin}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-aspen-token': token },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as unknown;
      if (!response.ok) {
        throw Object.assign(new Error(JSON.stringify(body)), { body });
      }
      return body as never;
    },
    output: () => printed,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), scaled(15_000));
        await exited;
        clearTimeout(timer);
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
