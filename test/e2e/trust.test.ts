// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser, type TestBrowser } from '../support/browser';

import { openStudioPage, shoot } from './support/studio-page';
import { startStudio, type StudioProcess } from './support/studio-process';

// a folder the studio did not create here, as a cloned repository is
const FILES = {
  'hooks.toml': `[hooks]
enabled = true

[[hooks.handlers]]
name = "audit"
pattern = "orders.*"
type = "shell"
command = "echo audit"
`,
};

describe('an untrusted workspace', () => {
  let studio: StudioProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    studio = await startStudio({ files: FILES });
    browser = await openBrowser();
    await openStudioPage(browser.page, studio);
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('says its handlers are paused, and runs them once trusted', async () => {
    const { page } = browser;
    const banner = page.getByTestId('trust-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Handlers are paused');
    const before = await studio.invoke('workspace:info', {});
    expect(before.workspace?.isTrusted).toBe(false);
    await shoot(page, 'trust-paused');

    await page.getByRole('button', { name: 'Trust this workspace' }).click();
    await banner.waitFor({ state: 'detached' });
    const after = await studio.invoke('workspace:info', {});
    expect(after.workspace?.isTrusted).toBe(true);
    await expect
      .poll(async () => (await studio.invoke('hooks:list', {})).isDispatching)
      .toBe(true);
    expect(browser.problems).toEqual([]);
  });
});
