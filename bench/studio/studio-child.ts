// The studio that bench:studio measures: `aspen-studio serve` run from
// source in its own process, on a fresh workspace and data folder, exactly
// as a user serves it in browser mode.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'main', 'cli', 'index.ts');

/** A running studio process. */
export interface StudioChild {
  port: number;
  token: string;
  /** CPU time the process used so far (ms), where /proc says so. */
  cpuMs(): number | null;
  close(): Promise<void>;
}

// utime + stime of a Linux process, in ms (clock ticks are 100 Hz on
// every Linux this runs on)
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Starts the studio and waits for it to print its address. */
export async function startStudioChild(nodes = 3): Promise<StudioChild> {
  const root = await mkdtemp(join(tmpdir(), 'aspen-bench-studio-'));
  const args = [
    ...['--import', 'tsx', CLI, 'serve', '--json'],
    ...['--workspace', join(root, 'workspace')],
    ...['--data-dir', join(root, 'data')],
    ...['--port', '0', '--nodes', String(nodes)],
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout.on('data', () => {
      // complete lines only: the last piece may still be arriving
      const lines = out.split('\n').slice(0, -1);
      const line = lines.find((l) => l.startsWith('{'));
      if (line !== undefined) {
        resolve(new URL((JSON.parse(line) as { url: string }).url));
      }
    });
    void exited.then((code) =>
      reject(new Error(`the studio exited with ${code}: ${err}`)),
    );
  });
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';

  return {
    port: Number(url.port),
    token,
    cpuMs: () => (child.pid === undefined ? null : processCpuMs(child.pid)),
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(root, { recursive: true, force: true });
    },
  };
}
