// @vitest-environment node
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser, type TestBrowser } from '../support/browser';
import { scaled } from '../support/time-scale';

import { applyAndCheckDispatch } from './support/dispatch';
import { openStudioPage, shoot } from './support/studio-page';
import { startStudio, type StudioProcess } from './support/studio-process';

// fails until a file named `fixed` exists in the workspace
const CONFIG = `[hooks]
enabled = true

[[hooks.handlers]]
name = "flaky-job"
pattern = "payments.*"
type = "shell"
command = "test -f fixed || { echo 'not fixed yet' >&2; exit 1; }"
execution_mode = "job"
retry_count = 5
timeout_ms = 5000
`;

describe('a flaky job-mode hook', () => {
  let studio: StudioProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    studio = await startStudio();
    browser = await openBrowser();
    await openStudioPage(browser.page, studio);
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('shows retries with their delays, then the DLQ, and redrives after the fix', async (ctx) => {
    const dispatch = await applyAndCheckDispatch(studio, CONFIG);
    if (!dispatch.isDispatching) {
      ctx.skip(dispatch.reason);
    }
    const { page } = browser;
    await page.keyboard.press('Alt+4');
    await studio.invoke('events:publish', {
      topic: 'payments.captured',
      payload: { id: 1 },
    });

    // a planned retry, with the back-off it waits
    const retry = page.locator('[data-testid="queue-row"]', {
      hasText: 'back-off',
    });
    await retry.first().waitFor({ timeout: scaled(15_000) });
    expect(await retry.first().textContent()).toMatch(
      /back-off \d+(\.\d)? (ms|s)/,
    );
    await shoot(page, 'jobs-6-retrying');

    // every attempt fails: the DLQ, grouped by the error
    const group = page.getByTestId('dlq-group');
    await group.first().waitFor({ timeout: scaled(30_000) });
    expect(await group.first().textContent()).toContain('flaky-job');
    await shoot(page, 'jobs-6-dlq');

    // fix the handler, then redrive the entry
    await writeFile(join(studio.workspace, 'fixed'), '');
    await page.getByTestId('dlq-entry').first().getByRole('checkbox').check();
    await page.getByTestId('redrive-selected').click();
    await page
      .getByTestId('dlq-group')
      .first()
      .waitFor({ state: 'detached', timeout: scaled(15_000) });
    await expect
      .poll(
        async () =>
          (await studio.invoke('jobs:list', {})).jobs.counts.completed ?? 0,
        {
          timeout: scaled(15_000),
        },
      )
      .toBe(1);
    await shoot(page, 'jobs-6-redriven');
    expect(browser.problems).toEqual([]);
  });
});
