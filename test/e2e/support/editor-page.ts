import type { Page } from 'playwright-core';

/** The editor's text as CodeMirror shows it (small documents only). */
export function editorText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="toml-editor"] .cm-line')]
      .map((line) => line.textContent ?? '')
      .join('\n'),
  );
}

/** Lines (1-based) that carry an error underline. */
export function errorLines(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const lines = [
      ...document.querySelectorAll('[data-testid="toml-editor"] .cm-line'),
    ];
    const marked = document.querySelectorAll(
      '[data-testid="toml-editor"] .cm-lintRange-error',
    );
    return [...marked].map(
      (mark) => lines.indexOf(mark.closest('.cm-line')!) + 1,
    );
  });
}

/** Moves the cursor to the end of the document. */
export async function goToEnd(page: Page): Promise<void> {
  await page.locator('[data-testid="toml-editor"] .cm-content').click();
  await page.keyboard.press('Control+End');
}
