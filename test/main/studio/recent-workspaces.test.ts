// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RecentWorkspaces } from '../../../main/studio/recent-workspaces';
import { TrustStore } from '../../../main/studio/trust-store';

describe('RecentWorkspaces', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-recent-'));
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('keeps the ten latest, newest first, without duplicates', async () => {
    const data = join(root, 'data');
    const recent = new RecentWorkspaces(data, new TrustStore(data));
    for (let i = 0; i < 12; i++) {
      await recent.add(join(root, `ws-${i}`), 1000 + i);
    }
    await recent.add(join(root, 'ws-5'), 2000);
    const list = await recent.list();
    expect(list.map((entry) => entry.dir)).toEqual(
      [5, 11, 10, 9, 8, 7, 6, 4, 3, 2].map((i) => join(root, `ws-${i}`)),
    );
    expect(list[0]).toMatchObject({
      openedAt: 2000,
      exists: false,
      isTrusted: false,
    });
  });
});
