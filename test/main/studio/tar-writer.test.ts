// @vitest-environment node
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { tarGz } from '../../../main/studio/tar-writer';
import { untar } from '../support/untar';

describe('tarGz()', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-tar-'));
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes an archive the system tar reads back file for file', async () => {
    const long = `${'deep/'.repeat(30)}file.txt`;
    const entries = [
      { name: 'README.txt', data: 'hello\n' },
      { name: 'logs/studio.log', data: 'x'.repeat(1500) },
      { name: 'config/empty.toml', data: '' },
      { name: 'notes/ünïcode.txt', data: 'ünïcode ✓\n' },
      { name: long, data: Uint8Array.from(Buffer.from('bytes')) },
    ];
    const file = join(root, 'bundle.tar.gz');
    await writeFile(file, await tarGz(entries));

    const files = await untar(file);
    expect(files).toEqual(
      new Map([
        ['README.txt', 'hello\n'],
        ['logs/studio.log', 'x'.repeat(1500)],
        ['config/empty.toml', ''],
        ['notes/ünïcode.txt', 'ünïcode ✓\n'],
        [long, 'bytes'],
      ]),
    );
  });

  it('refuses a name no ustar header can hold', async () => {
    await expect(tarGz([{ name: 'x'.repeat(300), data: '' }])).rejects.toThrow(
      'name too long',
    );
  });
});
