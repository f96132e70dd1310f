// @vitest-environment node
import { readFile } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser, type TestBrowser } from '../support/browser';
import { scaled } from '../support/time-scale';
import { waitFor } from '../support/wait-for';

import { editorText, errorLines, goToEnd } from './support/editor-page';
import { openStudioPage, shoot } from './support/studio-page';
import { startStudio, type StudioProcess } from './support/studio-process';

describe('hook editor against a real cluster', () => {
  let studio: StudioProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    studio = await startStudio();
    browser = await openBrowser();
    await openStudioPage(browser.page, studio);
    await browser.page.keyboard.press('Alt+2');
    await browser.page
      .locator('[data-testid="toml-editor"] .cm-line')
      .first()
      .waitFor();
    await waitFor(
      async () => (await editorText(browser.page)).includes('[hooks]'),
      {
        timeoutMs: scaled(10_000),
        what: 'the workspace config in the editor',
      },
    );
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('marks an invalid pattern on its line and refuses to apply, then applies the fix', async () => {
    const { page } = browser;
    await goToEnd(page);
    await page.keyboard.type(
      '\n[[hooks.handlers]]\nname = "audit-all"\ntype = "shell"\ncommand = "echo audit"\npattern = "orders.>.x',
    );
    const text = await editorText(page);
    const badLine =
      text.split('\n').findIndex((l) => l.includes('orders.>.x')) + 1;
    expect(badLine).toBeGreaterThan(0);

    // the backend's diagnostic, on that line
    await waitFor(async () => (await errorLines(page)).includes(badLine), {
      timeoutMs: scaled(10_000),
      what: `an error underline on line ${badLine}`,
    });
    const listed = page.locator('.diagnostics li', {
      hasText: 'INVALID_PATTERN',
    });
    await listed.waitFor();
    expect(await listed.textContent()).toContain(`${badLine}:`);

    await page.getByTestId('apply-config').click();
    const outcome = page.getByTestId('apply-outcome');
    await expect.poll(() => outcome.textContent()).toContain('Apply refused');
    expect(await outcome.getAttribute('role')).toBe('alert');
    expect((await studio.invoke('config:get', {})).applied).toBeNull();
    // the listed diagnostic leads to its line
    await listed.getByRole('button').click();
    await waitFor(async () => (await errorLines(page)).includes(badLine), {
      what: 'the marked line in view',
    });
    await shoot(page, 'editor-4-refused');

    // fix: drop the token after '>'
    await goToEnd(page);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await waitFor(async () => (await errorLines(page)).length === 0, {
      timeoutMs: scaled(10_000),
      what: 'the diagnostic to clear',
    });
    await page.keyboard.press('Control+s');
    await expect
      .poll(() => outcome.textContent())
      .toContain('Applied as version 1');

    const applied = (await studio.invoke('config:get', {})).applied;
    expect(applied?.version).toBe(1);
    expect(applied?.text).toContain('pattern = "orders.>"');
    await page.getByRole('tab', { name: 'Hooks' }).click();
    await page
      .locator('[data-testid="hooks-table"] tr', { hasText: 'audit-all' })
      .waitFor();
    await shoot(page, 'editor-4-applied');
    expect(browser.problems).toEqual([]);
  });

  it('explains which hooks a topic reaches and how patterns relate', async () => {
    const { page } = browser;
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Explain a topic' }).click();
    await page.locator('#explain-topic').fill('orders.created');
    await expect
      .poll(() => page.getByTestId('explain-result').textContent())
      .toMatch(/Received by order-echo, audit-all/);
    await expect
      .poll(() => page.getByTestId('pattern-findings').textContent())
      .toContain('order-echo');
    await shoot(page, 'editor-explain');
    expect(browser.problems).toEqual([]);
  });

  it('exports with the compatibility report, and the download re-imports to the same config', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Export' }).click();
    await page.getByTestId('export').click();
    const report = page.getByTestId('compat-report');
    await expect
      .poll(() => report.textContent())
      .toContain('user-topics-never-reach-hooks');
    expect(await report.locator('li').count()).toBeGreaterThan(2);
    await shoot(page, 'export-7-report');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-export').click(),
    ]);
    const downloaded = await readFile((await download.path())!, 'utf8');
    const original = await studio.invoke('config:export', {
      text: await editorText(page),
      format: 'toml',
    });
    expect(downloaded).toBe(original.content);

    // import the download into the editor: the same config comes back
    await page
      .getByTestId('import-file')
      .setInputFiles((await download.path())!);
    await waitFor(
      async () => (await editorText(page)).includes('execution_mode'),
      {
        timeoutMs: scaled(10_000),
        what: 'the imported text in the editor',
      },
    );
    const reimported = await studio.invoke('config:export', {
      text: await editorText(page),
      format: 'toml',
    });
    expect(reimported.content).toBe(downloaded);

    // a second export shows what changed since the first
    await goToEnd(page);
    await page.keyboard.type(
      '\n[[hooks.handlers]]\nname = "kv-watch"\ntype = "shell"\ncommand = "true"\npattern = "hooks.kv.>',
    );
    await page.getByTestId('export').click();
    await page.getByRole('tab', { name: 'Diff vs last export' }).click();
    await expect
      .poll(() => page.getByTestId('export-diff').textContent())
      .toContain('+ name = "kv-watch"');
    await shoot(page, 'export-7-diff');
    expect(browser.problems).toEqual([]);
  });
});
