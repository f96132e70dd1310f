// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser, type TestBrowser } from '../support/browser';
import { scaled } from '../support/time-scale';

import { applyAndCheckDispatch } from './support/dispatch';
import { openStudioPage, shoot } from './support/studio-page';
import { startStudio, type StudioProcess } from './support/studio-process';

const CONFIG = `[hooks]
enabled = true

[[hooks.handlers]]
name = "order-shell"
pattern = "orders.*"
type = "shell"
command = "echo \\"got $ASPEN_HOOK_TOPIC\\"; echo \\"careful\\" >&2"
timeout_ms = 5000
`;

describe('publishing an event through the UI', () => {
  let studio: StudioProcess;
  let browser: TestBrowser;
  let dispatch: { isDispatching: boolean; reason: string };
  let eventId: string;

  beforeAll(async () => {
    studio = await startStudio();
    browser = await openBrowser();
    await openStudioPage(browser.page, studio);
    dispatch = await applyAndCheckDispatch(studio, CONFIG);
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('publishes from Test fire and shows the row in the timeline', async () => {
    const { page } = browser;
    await page.keyboard.press('Alt+2');
    await page.getByRole('tab', { name: 'Test fire' }).click();
    await page.locator('#fire-topic').fill('orders.created');
    await page.getByTestId('fire').click();
    const fired = page.getByTestId('fired-id');
    await fired.waitFor({ timeout: scaled(10_000) });
    eventId = /Published as (\d+\.\d+)/.exec(
      (await fired.textContent()) ?? '',
    )![1]!;

    await fired.click();
    const row = page.locator(
      `[data-testid="timeline-row"][data-event-id="${eventId}"]`,
    );
    await row.waitFor({ timeout: scaled(10_000) });
    expect(await row.getAttribute('aria-selected')).toBe('true');
    expect(await row.textContent()).toContain('orders.created');
    await shoot(page, 'events-5-row');
    expect(browser.problems).toEqual([]);
  });

  it('shows the deliveries, the shell output under its header, and leads from the attempt to the event', async (ctx) => {
    if (!dispatch.isDispatching) {
      ctx.skip(dispatch.reason);
    }
    const { page } = browser;
    const row = page.locator(
      `[data-testid="timeline-row"][data-event-id="${eventId}"]`,
    );
    await expect
      .poll(() => row.getByTestId('row-deliveries').textContent(), {
        timeout: scaled(15_000),
      })
      .toContain('ok');

    // the terminal: header, stdout, stderr behind its gutter, exit
    const terminal = page.locator('.xterm-rows');
    await expect
      .poll(() => terminal.textContent(), { timeout: scaled(15_000) })
      .toMatch(
        new RegExp(
          `▶ order-shell\\s+event ${eventId.replace('.', '\\.')}\\s+attempt 1\\s+node \\d`,
        ),
      );
    const text = (await terminal.textContent()) ?? '';
    expect(text).toContain('got orders.created');
    expect(text).toContain('! careful');
    expect(text).toMatch(/■ succeeded · exit 0/);

    // attempt → event, and back
    await page.keyboard.press('Alt+1');
    await page.getByTestId('attempt-open-event').first().click();
    await expect
      .poll(() => page.getByTestId('event-detail').textContent())
      .toContain(eventId);
    await page.getByTestId('delivery-attempt').first().click();
    await expect
      .poll(() =>
        page.locator('[data-testid="attempt"][aria-current="true"]').count(),
      )
      .toBe(1);
    await shoot(page, 'events-5-terminal');
    expect(browser.problems).toEqual([]);
  });
});
