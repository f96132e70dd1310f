import {
  dialog,
  Menu,
  shell,
  type BrowserWindow,
  type MenuItemConstructorOptions,
} from 'electron';

import type { RecentWorkspace } from '../../preload/contract';
import { exportDiagnostics } from '../studio/diagnostics-sources';
import type { WorkspaceHost } from '../studio/workspace-host';
import {
  confirmTrust,
  openOrOfferReset,
  pickFolder,
} from './workspace-dialogs';

/**
 * The application menu: workspaces (new from the example, open, recent,
 * close), workspace trust, and export diagnostics, beside the standard
 * Edit, View and Window menus (without them, copy and paste shortcuts
 * stop working on macOS). Rebuilt whenever the workspace changes, so the
 * recent list and the trust check mark stay current. Returns the undo.
 */
export function setupMenu(
  host: WorkspaceHost,
  window: () => BrowserWindow | undefined,
): () => void {
  const rebuild = () => {
    void host
      .recent()
      .catch(() => [])
      .then((recent) => {
        Menu.setApplicationMenu(buildMenu(host, window, recent, rebuild));
      });
  };
  rebuild();
  return host.onPush((channel) => {
    if (channel === 'workspace:changed') {
      rebuild();
    }
  });
}

function buildMenu(
  host: WorkspaceHost,
  window: () => BrowserWindow | undefined,
  recent: RecentWorkspace[],
  rebuild: () => void,
): Menu {
  const service = host.current;
  const act = (title: string, task: () => Promise<unknown>) => () => {
    void task()
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        dialog.showErrorBox(title, message);
      })
      .finally(rebuild);
  };
  const open = async (dir: string | undefined) =>
    dir === undefined ? undefined : openOrOfferReset(host, window(), dir);
  const recentItems: MenuItemConstructorOptions[] = recent
    .filter((entry) => entry.exists)
    .map((entry) => ({
      label: entry.dir,
      click: act('Cannot open the workspace', () => open(entry.dir)),
    }));

  const workspaceMenu: MenuItemConstructorOptions = {
    label: 'Workspace',
    submenu: [
      {
        label: 'New Workspace from Example…',
        click: act('Cannot create the workspace', () => host.create()),
      },
      {
        label: 'Open Workspace…',
        accelerator: 'CmdOrCtrl+O',
        click: act('Cannot open the workspace', async () =>
          open(await pickFolder(window(), 'open')),
        ),
      },
      {
        label: 'Open Recent',
        enabled: recentItems.length > 0,
        submenu: recentItems,
      },
      {
        label: 'Close Workspace',
        enabled: service !== undefined,
        click: act('Cannot close the workspace', () => host.close()),
      },
      { type: 'separator' },
      {
        label: 'Trust Workspace',
        type: 'checkbox',
        enabled: service !== undefined,
        checked: service?.workspace.isTrusted ?? false,
        click: act('Cannot change the workspace trust', async () => {
          const current = host.require();
          if (current.workspace.isTrusted) {
            return current.setTrusted(false);
          }
          if (await confirmTrust(window(), current.workspace.dir)) {
            return current.setTrusted(true);
          }
          return undefined;
        }),
      },
      {
        label: 'Export Diagnostics…',
        enabled: service !== undefined,
        click: act('Cannot export diagnostics', async () => {
          const { file } = await exportDiagnostics(host.require());
          shell.showItemInFolder(file);
        }),
      },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  return Menu.buildFromTemplate([
    ...(process.platform === 'darwin'
      ? [{ role: 'appMenu' } as MenuItemConstructorOptions]
      : []),
    workspaceMenu,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ]);
}
