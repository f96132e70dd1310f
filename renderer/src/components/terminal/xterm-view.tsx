import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import '@xterm/xterm/css/xterm.css';

import { appStore } from '../../state/app-store';
import { terminalStore } from '../../state/terminal-store';
import { timelineStore } from '../../state/timeline-store';

import { FeedWriter } from './feed-writer';
import { attachTerminal, scrollToAttempt } from './terminal-reveal';
import { TERMINAL_THEMES } from './terminal-theme';

const EMPTY_LINE =
  'Shell handler output appears here: one header per attempt (hook, event, attempt, node), stdout, stderr (!), exit and duration.';

/**
 * The xterm, held in a ref (never in store state). It replays the kept
 * feed on mount, then writes what arrives. Event ids in headers are
 * links to the timeline.
 */
export function XtermView(): React.JSX.Element {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const theme = useStore(appStore, (state) => state.theme);

  useEffect(() => {
    const host = hostRef.current;
    if (host === null) {
      return;
    }
    const terminal = new Terminal({
      convertEol: false,
      disableStdin: true,
      fontSize: 12,
      lineHeight: 1.15,
      scrollback: 20_000,
      fontFamily: 'ui-monospace, "JetBrains Mono", Menlo, Consolas, monospace',
      theme: TERMINAL_THEMES[appStore.getState().theme],
    });
    termRef.current = terminal;
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(host);
    fit.fit();
    attachTerminal(terminal);

    const links = terminal.registerLinkProvider({
      provideLinks(line, callback) {
        const text =
          terminal.buffer.active.getLine(line - 1)?.translateToString(true) ??
          '';
        const match = /event (\d+\.\d+)/.exec(text);
        if (match === null || !text.startsWith('▶')) {
          callback(undefined);
          return;
        }
        const start = match.index + 'event '.length + 1;
        callback([
          {
            range: {
              start: { x: start, y: line },
              end: { x: start + match[1]!.length - 1, y: line },
            },
            text: match[1]!,
            activate: () => {
              timelineStore.getState().reveal(match[1]!);
              appStore.getState().setView('timeline');
            },
          },
        ]);
      },
    });

    const writer = new FeedWriter(terminal);
    let written = 0;
    const flush = () => {
      const { feed } = terminalStore.getState();
      if (written === 0 && feed.length === 0) {
        return;
      }
      for (const item of feed) {
        if (item.seq > written) {
          writer.write(item);
        }
      }
      written = feed[feed.length - 1]?.seq ?? written;
    };
    terminal.writeln(`\x1b[2m${EMPTY_LINE}\x1b[0m`);
    flush();
    const unsubscribe = terminalStore.subscribe((state, previous) => {
      if (state.feedSeq !== previous.feedSeq) {
        flush();
      }
      if (
        state.selectedKey !== previous.selectedKey &&
        state.selectedKey !== null
      ) {
        scrollToAttempt(state.selectedKey);
      }
    });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host);
    return () => {
      unsubscribe();
      observer.disconnect();
      links.dispose();
      attachTerminal(undefined);
      termRef.current = null;
      terminal.dispose();
    };
  }, []);

  useEffect(() => {
    if (termRef.current !== null) {
      termRef.current.options.theme = TERMINAL_THEMES[theme];
    }
  }, [theme]);

  return <div className="terminal-host" ref={hostRef} data-testid="terminal" />;
}
