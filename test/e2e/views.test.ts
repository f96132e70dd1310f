// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser, type TestBrowser } from '../support/browser';

import { openStudioPage, shoot } from './support/studio-page';
import { startStudio, type StudioProcess } from './support/studio-process';

describe('every view, both themes, keyboard and labels', () => {
  let studio: StudioProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    studio = await startStudio();
    browser = await openBrowser();
    await openStudioPage(browser.page, studio);
    for (let n = 0; n < 12; n++) {
      await studio.invoke('events:publish', {
        topic: ['orders.created', 'users.signed_up', 'orders.paid'][n % 3]!,
        payload: { n, amount: n * 10 },
      });
    }
    await studio.invoke('kv:put', { key: 'config/a', value: '1' });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('reaches each view from the keyboard, in the dark theme', async () => {
    const { page } = browser;
    if (
      (await page.getByTestId('app-shell').getAttribute('class'))?.includes(
        'light',
      )
    ) {
      await page.keyboard.press('Alt+t');
    }
    await expect
      .poll(() => page.getByTestId('app-shell').getAttribute('class'))
      .toContain('theme-dark');
    const views = [
      ['1', 'Topology', 'views-topology-dark'],
      ['3', 'Timeline', 'views-timeline-dark'],
      ['4', 'Jobs & DLQ', 'views-jobs-dark'],
      ['5', 'Metrics', 'views-metrics-dark'],
      ['2', 'Hook editor', 'views-editor-dark'],
    ] as const;
    for (const [key, title, shot] of views) {
      await page.keyboard.press(`Alt+${key}`);
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe(title);
      if (key === '3') {
        await page.locator('[data-testid="timeline-row"]').nth(12).waitFor();
      }
      if (key === '5') {
        await page.locator('.chart .u-over').first().waitFor();
      }
      await shoot(page, shot);
    }
    expect(browser.problems).toEqual([]);
  });

  it('lists the shortcuts on ?, and switches to the light theme', async () => {
    const { page } = browser;
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('?');
    await page.getByTestId('help-overlay').waitFor();
    expect(await page.getByTestId('help-overlay').textContent()).toContain(
      'Kill the selected node',
    );
    await shoot(page, 'views-help-overlay');
    await page.keyboard.press('Escape');
    await page.getByTestId('help-overlay').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Switch theme' }).click();
    await expect
      .poll(() => page.getByTestId('app-shell').getAttribute('class'))
      .toContain('theme-light');
    await page.keyboard.press('Alt+3');
    await page.locator('[data-testid="timeline-row"]').first().click();
    await page.getByTestId('event-detail').waitFor();
    await shoot(page, 'views-timeline-light');
    expect(browser.problems).toEqual([]);
  });

  it('gives every control a name', async () => {
    const { page } = browser;
    for (const key of ['1', '2', '3', '4', '5']) {
      await page.keyboard.press(`Alt+${key}`);
      const unnamed = await page.evaluate(() =>
        [
          ...document.querySelectorAll(
            'button, input, select, textarea, [role="button"]',
          ),
        ]
          .filter((el) => {
            const e = el as HTMLElement;
            if (e.closest('.cm-editor, .xterm') !== null) {
              return false;
            }
            const label = e.getAttribute('aria-label') ?? '';
            const text = e.textContent?.trim() ?? '';
            const labelled =
              e.closest('label') !== null ||
              e.getAttribute('aria-labelledby') !== null;
            return label === '' && text === '' && !labelled;
          })
          .map((e) => e.outerHTML.slice(0, 120)),
      );
      expect(unnamed, `view ${key}`).toEqual([]);
    }
  });
});
