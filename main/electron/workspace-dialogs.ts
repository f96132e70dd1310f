import {
  dialog,
  type BrowserWindow,
  type MessageBoxOptions,
  type OpenDialogOptions,
} from 'electron';

import type { WorkspaceHost } from '../studio/workspace-host';

/** Asks for a folder to open, or to create a workspace in. */
export async function pickFolder(
  window: BrowserWindow | undefined,
  purpose: 'open' | 'create',
): Promise<string | undefined> {
  const options: OpenDialogOptions = {
    title:
      purpose === 'open'
        ? 'Open Workspace'
        : 'New Workspace from Example (choose an empty folder)',
    buttonLabel: purpose === 'open' ? 'Open' : 'Create Here',
    properties: ['openDirectory', 'createDirectory'],
  };
  const { canceled, filePaths } =
    window === undefined
      ? await dialog.showOpenDialog(options)
      : await dialog.showOpenDialog(window, options);
  return canceled ? undefined : filePaths[0];
}

/** Asks before a workspace's handlers may run on this machine. */
export async function confirmTrust(
  window: BrowserWindow | undefined,
  dir: string,
): Promise<boolean> {
  const options: MessageBoxOptions = {
    type: 'warning',
    buttons: ['Trust', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Trust the workspace ${dir}?`,
    detail:
      'Its handlers will run on this machine: shell commands from ' +
      'hooks.toml and JavaScript modules from handlers/. Trust only ' +
      'folders whose contents you know.',
  };
  const { response } =
    window === undefined
      ? await dialog.showMessageBox(options)
      : await dialog.showMessageBox(window, options);
  return response === 0;
}

/**
 * Opens `dir`; when its data was written by a newer studio, offers to
 * reset it (moved aside, not deleted) and opens it afresh.
 */
export async function openOrOfferReset(
  host: WorkspaceHost,
  window: BrowserWindow | undefined,
  dir: string,
): Promise<unknown> {
  try {
    return await host.open(dir);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'UNSUPPORTED_FORMAT') {
      throw error;
    }
    const options: MessageBoxOptions = {
      type: 'error',
      buttons: ['Reset Cluster Data', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'This workspace was written by a newer studio',
      detail: (error as Error).message,
    };
    const { response } =
      window === undefined
        ? await dialog.showMessageBox(options)
        : await dialog.showMessageBox(window, options);
    if (response !== 0) {
      return undefined;
    }
    await host.reset(dir);
    return host.open(dir);
  }
}

/**
 * Opens the first workspace at startup, asking what to do when it cannot
 * open: another folder, a reset of data a newer studio wrote, or quit.
 * Resolves false when the user chose to quit.
 */
export async function openFirstWorkspace(
  host: WorkspaceHost,
  dir: string,
  open: (dir: string) => Promise<unknown>,
): Promise<boolean> {
  let next: string | undefined = dir;
  while (next !== undefined) {
    try {
      await open(next);
      return true;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      const canReset = code === 'UNSUPPORTED_FORMAT';
      const buttons = canReset
        ? ['Reset Cluster Data', 'Open Another Folder…', 'Quit']
        : ['Open Another Folder…', 'Quit'];
      const { response } = await dialog.showMessageBox({
        type: 'error',
        buttons,
        defaultId: buttons.length - 1,
        message: 'Aspen Hook Studio cannot open the workspace',
        detail: message,
      });
      const choice = buttons[response];
      if (choice === 'Reset Cluster Data') {
        await host.reset(next);
      } else if (choice === 'Open Another Folder…') {
        next = await pickFolder(undefined, 'open');
      } else {
        next = undefined;
      }
    }
  }
  return false;
}
