import type { Terminal } from '@xterm/xterm';

import type { FeedItem } from '../../state/terminal-store';

import { markAttempt } from './terminal-reveal';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const CYAN = '\x1b[1;36m';

/**
 * Writes the feed to the terminal: a header per attempt, stdout plain
 * and stderr in red behind a `!` gutter (so the difference does not rest
 * on colour alone), then the exit status with its duration.
 */
export class FeedWriter {
  private isLineStart = true;
  private stream: 'stdout' | 'stderr' | null = null;

  constructor(private readonly terminal: Terminal) {}

  write(item: FeedItem): void {
    const t = this.terminal;
    switch (item.kind) {
      case 'start': {
        const a = item.attempt;
        this.breakLine();
        // the service's header says the same; only its job id is extra
        const job = /job-\d+/.exec(a.header ?? '')?.[0];
        t.write(
          `${CYAN}▶ ${a.hook}${RESET}  event ${a.eventId}  attempt ${a.attempt}  node ${a.node}${job === undefined ? '' : `  ${DIM}${job}${RESET}`}\r\n`,
          () => markAttempt(a.key),
        );
        this.isLineStart = true;
        return;
      }
      case 'out': {
        if (this.stream !== item.stream) {
          this.breakLine();
          this.stream = item.stream;
        }
        const gutter = item.stream === 'stderr' ? `${RED}! ` : '  ';
        let text = '';
        for (const ch of item.text.replaceAll('\r\n', '\n')) {
          if (this.isLineStart) {
            text += gutter;
            this.isLineStart = false;
          }
          if (ch === '\n') {
            text += `${RESET}\r\n`;
            this.isLineStart = true;
          } else {
            text += ch;
          }
        }
        t.write(text + (item.stream === 'stderr' ? RESET : ''));
        return;
      }
      case 'exit': {
        const exit = item.attempt.exit!;
        this.breakLine();
        const colour = exit.isOk ? GREEN : RED;
        const said = exit.text.trim().replace(/^■\s*/, '');
        const ms = /\bms\b/.test(said)
          ? ''
          : ` · ${Math.round(exit.durationMs ?? 0)} ms`;
        t.write(`${colour}■ ${said}${ms}${RESET}\r\n`);
        this.isLineStart = true;
        return;
      }
      case 'note':
        this.breakLine();
        t.write(`${DIM}${item.text}${RESET}\r\n`);
        this.isLineStart = true;
        return;
    }
  }

  private breakLine(): void {
    if (!this.isLineStart) {
      this.terminal.write(`${RESET}\r\n`);
      this.isLineStart = true;
    }
    this.stream = null;
  }
}
