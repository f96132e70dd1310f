// Browser mode: the studio behind HTTP on 127.0.0.1, for machines where the
// Electron window cannot open (and for the end-to-end tests).
import { join } from 'node:path';

import { startBrowserServer } from './server/browser-server';
import { version } from '../package.json';

async function main(): Promise<void> {
  const portArg = process.argv.indexOf('--port');
  const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : 0;
  const server = await startBrowserServer({
    rendererDir: join(__dirname, '../renderer'),
    port,
    handlers: { 'app:info': () => ({ version, carrier: 'browser' }) },
  });
  process.stdout.write(`Aspen Hook Studio is running at ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
