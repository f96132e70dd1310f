// Root postinstall: fetch Electron's binary when this machine can, and never
// fail the install when it cannot (DESIGN §4). npm 11 does not run
// dependencies' install scripts here (see allowScripts), so this is the one
// place the binary is fetched.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const FALLBACK =
  'The desktop window is unavailable; `npm start` opens the studio in your browser instead.';

function electronDir() {
  try {
    return require
      .resolve('electron/package.json')
      .replace(/package\.json$/, '');
  } catch {
    return undefined;
  }
}

const dir = electronDir();
if (dir === undefined) {
  // production install without devDependencies: nothing to fetch
  process.exit(0);
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(
    `Electron download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD). ${FALLBACK}`,
  );
  process.exit(0);
}
if (existsSync(`${dir}path.txt`)) {
  process.exit(0);
}
const result = spawnSync(process.execPath, [`${dir}install.js`], {
  stdio: 'ignore',
  timeout: 120_000,
});
if (result.status !== 0 || !existsSync(`${dir}path.txt`)) {
  console.log(`Electron's binary could not be downloaded. ${FALLBACK}`);
}
