// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser, type TestBrowser } from '../support/browser';
import { scaled } from '../support/time-scale';
import { waitFor } from '../support/wait-for';

import {
  openStudioPage,
  ringRoles,
  shoot,
  waitForRingLeader,
} from './support/studio-page';
import { startStudio, type StudioProcess } from './support/studio-process';

// slow motion stretches link delays, and a link without one has nothing
// to stretch: 10 ms a hop plays as 200 ms at 1/20×
const LINK_DELAY_MS = 10;

const CAMPAIGNING = new Set(['preCandidate', 'candidate']);

describe('time control against a real cluster', () => {
  let studio: StudioProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    studio = await startStudio();
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('plays an election at 1/20× as separate steps: candidate, then leader', async () => {
    const { page } = browser;
    await openStudioPage(page, studio);
    const old = await waitForRingLeader(page, { nodes: 3 });
    for (const from of [1, 2, 3]) {
      for (const to of [1, 2, 3]) {
        if (from !== to) {
          await studio.invoke('cluster:link', {
            from,
            to,
            delayMs: LINK_DELAY_MS,
          });
        }
      }
    }

    await page.getByTestId('time-speed').selectOption(String(1 / 20));
    await expect
      .poll(async () => (await studio.invoke('time:state', {})).speed)
      .toBe(1 / 20);
    await page.getByTestId('kill-leader').click();

    const campaign = await waitFor(
      async () => {
        const roles = await ringRoles(page);
        const candidate = [...roles].find(([, role]) => CAMPAIGNING.has(role));
        return candidate === undefined ? undefined : { candidate, roles };
      },
      {
        timeoutMs: scaled(30_000),
        intervalMs: 20,
        what: 'a candidate on the ring',
      },
    );
    await shoot(page, 'time-candidate');
    // the candidacy is seen on its own: nobody leads yet
    expect([...campaign.roles.values()]).not.toContain('leader');
    expect(campaign.roles.get(old)).toBe('killed');

    const next = await waitForRingLeader(page, { not: old });
    expect(next).not.toBe(old);
    await shoot(page, 'time-new-leader');
    expect(browser.problems).toEqual([]);
  });

  it('pauses, steps and resumes from the keyboard, showing the pause', async () => {
    const { page } = browser;
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Alt+p');
    await page.getByTestId('time-paused').waitFor({ timeout: scaled(5_000) });
    expect((await studio.invoke('time:state', {})).isPaused).toBe(true);

    const before = (await studio.invoke('time:state', {})).raft.time;
    await page.keyboard.press('.');
    await expect
      .poll(async () => (await studio.invoke('time:state', {})).raft.time)
      .toBeGreaterThan(before);
    await shoot(page, 'time-paused');

    await page.getByTestId('time-pause').click();
    await page
      .getByTestId('time-paused')
      .waitFor({ state: 'detached', timeout: scaled(5_000) });
    expect((await studio.invoke('time:state', {})).isPaused).toBe(false);
    await page.getByTestId('time-speed').selectOption('1');
    await studio.invoke('cluster:heal', {});
    await waitForRingLeader(page, {});
    expect(browser.problems).toEqual([]);
  });
});
