import type { ITheme } from '@xterm/xterm';

import type { Theme } from '../../state/app-store';

/** xterm colours that sit with each app theme. */
export const TERMINAL_THEMES: Record<Theme, ITheme> = {
  dark: {
    background: '#0f1317',
    foreground: '#d6dde5',
    cursor: '#0f1317',
    selectionBackground: '#2d4a6b',
    red: '#f0736b',
    green: '#5ccf8a',
    yellow: '#e6c163',
    blue: '#6cb2ff',
    cyan: '#5ed1d9',
    brightBlack: '#6f7c89',
  },
  light: {
    background: '#fbfcfd',
    foreground: '#1e252d',
    cursor: '#fbfcfd',
    selectionBackground: '#cfe2ff',
    red: '#c4322a',
    green: '#1f8a4c',
    yellow: '#946800',
    blue: '#1769d1',
    cyan: '#0b7f8a',
    brightBlack: '#6a7682',
  },
};
