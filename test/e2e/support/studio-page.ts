import { join } from 'node:path';

import type { Page } from 'playwright-core';

import type { ClusterStatus } from '../../../preload/contract';
import { SCREENSHOT_DIR } from '../../support/browser';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';

import type { StudioProcess } from './studio-process';

/** Opens the studio's page and waits until it shows the cluster. */
export async function openStudioPage(page: Page, studio: StudioProcess) {
  await page.goto(studio.url);
  await page.getByTestId('app-shell').waitFor();
  await page.getByTestId('node-ring').waitFor({ timeout: scaled(20_000) });
}

/** Ids of the nodes the ring draws with a role. */
export async function ringRoles(page: Page): Promise<Map<number, string>> {
  const roles = new Map<number, string>();
  for (const node of await page
    .locator('[data-testid^="node-"][data-role]')
    .all()) {
    const id = Number((await node.getAttribute('data-testid'))!.slice(5));
    roles.set(id, (await node.getAttribute('data-role')) ?? '');
  }
  return roles;
}

/** The one node the ring draws as leader, once there is exactly one. */
export function waitForRingLeader(
  page: Page,
  options: { not?: number; nodes?: number } = {},
): Promise<number> {
  return waitFor(
    async () => {
      const roles = await ringRoles(page);
      const leaders = [...roles].filter(([, role]) => role === 'leader');
      const isSized =
        options.nodes === undefined || roles.size === options.nodes;
      if (leaders.length !== 1 || !isSized || leaders[0]![0] === options.not) {
        return undefined;
      }
      return leaders[0]![0];
    },
    {
      timeoutMs: scaled(20_000),
      intervalMs: 50,
      what: 'one leader on the ring',
    },
  );
}

/** Waits until every running node agrees on leader, term and commit. */
export function waitForConvergence(
  studio: StudioProcess,
): Promise<ClusterStatus> {
  return waitFor(
    async () => {
      const status = await studio.invoke('cluster:status', {});
      const running = status.nodes.filter((n) => n.state === 'running');
      const agrees =
        status.leader !== null &&
        running.every(
          (n) =>
            n.leader === status.leader &&
            n.term === status.term &&
            n.applied === running[0]!.applied &&
            n.commit === running[0]!.commit,
        );
      return agrees ? status : undefined;
    },
    {
      timeoutMs: scaled(20_000),
      intervalMs: 100,
      what: 'the cluster to converge',
    },
  );
}

/** Saves a screenshot of the page under SCREENSHOT_DIR. */
export async function shoot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
