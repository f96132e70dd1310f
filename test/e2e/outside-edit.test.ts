// @vitest-environment node
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser, type TestBrowser } from '../support/browser';

import { openStudioPage, shoot } from './support/studio-page';
import { startStudio, type StudioProcess } from './support/studio-process';

describe('an edit to hooks.toml made outside the studio', () => {
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

  it('shows as unapplied with its diff, and applies on request', async () => {
    const { page } = browser;
    const file = join(studio.workspace, 'hooks.toml');
    const original = await readFile(file, 'utf8');
    await studio.invoke('config:apply', { text: original, save: false });

    await page.keyboard.press('Alt+2');
    const edited = original.replace(/timeout_ms = \d+/, 'timeout_ms = 1234');
    expect(edited).not.toBe(original);
    await writeFile(file, edited);

    const banner = page.getByTestId('pending-edit');
    await banner.waitFor();
    await page.getByRole('button', { name: 'Show diff' }).click();
    const diff = await page.getByTestId('pending-diff').textContent();
    expect(diff).toContain('+ timeout_ms = 1234');
    await shoot(page, 'outside-edit-pending');

    await page.getByRole('button', { name: 'Apply it' }).click();
    await banner.waitFor({ state: 'detached' });
    const running = await studio.invoke('config:get', {});
    expect(JSON.stringify(running)).toContain('timeout_ms = 1234');
    expect(browser.problems).toEqual([]);
  });
});
