import { session, shell, dialog, type WebContents } from 'electron';

import { CONTENT_SECURITY_POLICY } from '../../preload/contract';

/**
 * Locks down every web contents the app creates: no new windows, no
 * navigation away from the app, no permission grants, and external links
 * opened in the system browser only for http(s) after a confirmation.
 */
export function setupSecurity(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, done) =>
    done(false),
  );
  session.defaultSession.webRequest.onHeadersReceived((details, done) => {
    done({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}

/** Applies the per-window rules to one web contents. */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    void confirmExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) {
      event.preventDefault();
    }
  });
}

async function confirmExternal(url: string): Promise<void> {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return;
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    return;
  }
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Open', 'Cancel'],
    defaultId: 1,
    message: `Open ${url} in your browser?`,
  });
  if (response === 0) {
    await shell.openExternal(url);
  }
}
