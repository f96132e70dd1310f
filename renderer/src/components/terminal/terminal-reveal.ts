import type { IMarker, Terminal } from '@xterm/xterm';

import { appStore } from '../../state/app-store';
import { terminalStore } from '../../state/terminal-store';

let terminal: Terminal | undefined;
const markers = new Map<string, IMarker>();

/** The panel hands its terminal over on mount, and takes it back. */
export function attachTerminal(next: Terminal | undefined): void {
  terminal = next;
  if (next === undefined) {
    markers.clear();
  }
}

/** Remembers where an attempt's header line is in the buffer. */
export function markAttempt(key: string): void {
  const marker = terminal?.registerMarker(0);
  if (marker !== undefined) {
    markers.set(key, marker);
    marker.onDispose(() => {
      if (markers.get(key) === marker) {
        markers.delete(key);
      }
    });
  }
}

/** Selects an attempt and scrolls the terminal to its header. */
export function revealAttempt(key: string): void {
  terminalStore.getState().select(key);
  if (!appStore.getState().isTerminalOpen) {
    appStore.getState().toggleTerminal();
  }
  scrollToAttempt(key);
}

/** Scrolls to an attempt's header and highlights it, if still in the buffer. */
export function scrollToAttempt(key: string): void {
  const marker = markers.get(key);
  if (terminal === undefined || marker === undefined || marker.line < 0) {
    return;
  }
  terminal.scrollToLine(Math.max(0, marker.line - 1));
  terminal.selectLines(marker.line, marker.line);
}
