// @vitest-environment node
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  startBrowserServer,
  type BrowserServer,
} from '../../main/server/browser-server';
import {
  openBrowser,
  SCREENSHOT_DIR,
  type TestBrowser,
} from '../support/browser';

describe('renderer shell in browser mode', () => {
  let server: BrowserServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await startBrowserServer({
      rendererDir: join(process.cwd(), 'out/renderer'),
      handlers: { 'app:info': () => ({ version: 'test', carrier: 'browser' }) },
    });
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the shell and connects with the token from the fragment', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByTestId('app-shell').waitFor();
    await expect
      .poll(() => page.getByTestId('connection-status').textContent())
      .toContain('connected (browser)');
    expect(
      await page.getByRole('navigation', { name: 'Views' }).isVisible(),
    ).toBe(true);
    await page.locator('.xterm-rows').waitFor();
    expect(await page.locator('.xterm-rows').textContent()).toContain(
      'Shell handler output appears here',
    );

    // the token leaves the address bar once read
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'shell.png') });
    expect(browser.problems).toEqual([]);
  });

  it('switches views from the keyboard', async () => {
    const { page } = browser;
    await page.keyboard.press('Alt+3');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Timeline');
    expect(browser.problems).toEqual([]);
  });

  it('shows the failure when the page has no token', async () => {
    const { page } = browser;
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await expect
      .poll(() => page.getByTestId('connection-status').textContent())
      .toContain('not connected: token missing from the address');
  });
});
