#!/usr/bin/env node
// `aspen-studio`: runs the built CLI (out/main/cli.js), building the app
// first when out/ is missing, e.g. on a fresh clone used with npx.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cli = join(root, 'out', 'main', 'cli.js');

if (!existsSync(cli)) {
  process.stderr.write('aspen-studio: building the studio first…\n');
  const electronVite = require.resolve('electron-vite/bin/electron-vite.js', {
    paths: [root],
  });
  spawnSync(process.execPath, [electronVite, 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // the CLI needs only the main bundle; a renderer that fails to build
  // costs the UI, not the command line
  if (!existsSync(cli)) {
    process.stderr.write('aspen-studio: the build failed (see above)\n');
    process.exit(2);
  }
}

require(cli);
