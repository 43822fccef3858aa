/** The application menu: the usual entries; reload and devtools only while developing. */
import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { MENU_CHANNEL, type MenuCommand } from '../contract/api';

export function installAppMenu(options: { window: () => BrowserWindow | null; dev: boolean }): void {
  const send = (command: MenuCommand) => {
    const window = options.window();
    if (window && !window.isDestroyed()) window.webContents.send(MENU_CHANNEL, command);
  };
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        // The page handles these keys itself (the harness and the browser have no menu), so the
        // accelerators are shown but not registered: one key press, one action.
        { label: 'New Repository…', accelerator: 'CmdOrCtrl+N', registerAccelerator: false, click: () => send('new-repository') },
        { label: 'Find Repository', accelerator: 'CmdOrCtrl+F', registerAccelerator: false, click: () => send('focus-search') },
        { type: 'separator' },
        // The window asks for the file (the native dialog), shows progress and the result.
        { label: 'Export…', click: () => send('export-catalogue') },
        { label: 'Import…', click: () => send('import-catalogue') },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'CmdOrCtrl+,', registerAccelerator: false, click: () => send('open-settings') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(options.dev
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] as MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `About Berth ${app.getVersion()}`, click: () => app.showAboutPanel() }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
