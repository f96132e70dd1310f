import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'main', 'cli', 'index.ts');

/** `aspen-studio serve` from source, in its own process. */
export function serve(
  workspace: string,
  dataDir: string,
  extra: string[] = [],
) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'serve',
      ...['--workspace', workspace, '--data-dir', dataDir, '--port', '0'],
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const running = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (/is running at|"url":/.test(out)) {
        resolve();
      }
    });
    void exited.then((code) =>
      reject(new Error(`serve exited ${code}: ${err}`)),
    );
  });
  // a serve that is meant to fail is never awaited as running
  running.catch(() => {});
  return { child, exited, running, output: () => ({ out, err }) };
}
