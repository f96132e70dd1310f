// @vitest-environment node
import {
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { trustFile } from '../../../main/studio/paths';
import { TrustStore } from '../../../main/studio/trust-store';

describe('TrustStore', () => {
  let root: string;
  let store: TrustStore;
  let dir: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-trust-store-'));
    store = new TrustStore(join(root, 'data'));
    dir = join(root, 'ws');
    await mkdir(dir);
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('trusts a folder it recorded until the trust is taken back', async () => {
    expect(await store.lookup(dir)).toBeUndefined();
    await store.grant(dir, 'user');
    expect(await store.lookup(dir)).toMatchObject({ dir, source: 'user' });
    await store.revoke(dir);
    expect(await store.lookup(dir)).toBeUndefined();
  });

  it('does not trust another folder put at a trusted path', async () => {
    await store.grant(dir, 'created');
    // a fresh clone where the trusted folder was
    await rename(dir, join(root, 'old'));
    await mkdir(dir);
    expect(await store.lookup(dir)).toBeUndefined();
    // the old folder, moved, is not trusted under its new path either
    expect(await store.lookup(join(root, 'old'))).toBeUndefined();
  });

  it('refuses a trust file a newer studio wrote, and leaves it alone', async () => {
    const file = trustFile(join(root, 'data'));
    await mkdir(join(root, 'data'));
    const newer = JSON.stringify({ version: 2, data: { anything: true } });
    await writeFile(file, newer);
    const refused = {
      code: 'UNSUPPORTED_FORMAT',
      message: expect.stringContaining(
        `${file} has format version 2; this build supports version 1.`,
      ),
    };
    await expect(store.lookup(dir)).rejects.toMatchObject(refused);
    await expect(store.grant(dir, 'user')).rejects.toMatchObject(refused);
    expect(await readFile(file, 'utf8')).toBe(newer);
  });
});
