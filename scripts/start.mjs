// `npm start`: build, then open the desktop app when Electron's binary is
// present, otherwise serve the same UI in the browser and print its address.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { electronBinary } from './electron-binary.mjs';

// electron-vite's package exports do not include its bin script
const electronVite = join(
  'node_modules',
  'electron-vite',
  'bin',
  'electron-vite.js',
);

const build = spawnSync(process.execPath, [electronVite, 'build'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) {
  console.error('npm start: the build failed (see above).');
  process.exit(build.status ?? 1);
}

const binary = electronBinary();
const child =
  binary !== undefined
    ? spawn(binary, ['.'], { stdio: 'inherit' })
    : spawn(process.execPath, ['out/main/serve.js', ...process.argv.slice(2)], {
        stdio: 'inherit',
      });
if (binary === undefined) {
  console.log(
    'Electron is not installed here: serving the studio in browser mode.',
  );
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code) => process.exit(code ?? 0));
