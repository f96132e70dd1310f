import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import '@xterm/xterm/css/xterm.css';

/**
 * The bottom panel that will carry shell-handler output. The terminal is
 * held in a ref, never in store state (STYLE §4.19).
 */
export function TerminalPanel(): React.JSX.Element {
  const hostRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (host === null) {
      return;
    }
    const terminal = new Terminal({
      convertEol: true,
      disableStdin: true,
      fontSize: 12,
      theme: { background: '#101418' },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(host);
    fit.fit();
    terminal.writeln('Shell handler output appears here.');
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host);
    return () => {
      observer.disconnect();
      terminal.dispose();
    };
  }, []);

  return (
    <section className="terminal-panel" aria-label="Terminal">
      <div className="panel-title">Terminal</div>
      <div className="terminal-host" ref={hostRef} data-testid="terminal" />
    </section>
  );
}
