/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The logger every engine part takes: levelled, scoped, with structured
 * fields rather than interpolated strings (STYLE §4.8).
 */
export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` (e.g. `{ scope: 'raft' }`). */
  child(fields: LogFields): Logger;
}

/** The default in engine/: drops everything. */
export const silentLogger: Logger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/** One line a {@link CapturingLogger} kept. */
export interface CapturedLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** Keeps every line in memory, for tests that assert what was logged. */
export class CapturingLogger implements Logger {
  constructor(
    readonly lines: CapturedLine[] = [],
    private readonly bound: LogFields = {},
  ) {}

  trace(message: string, fields?: LogFields): void {
    this.push('trace', message, fields);
  }

  debug(message: string, fields?: LogFields): void {
    this.push('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.push('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.push('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.push('error', message, fields);
  }

  child(fields: LogFields): Logger {
    return new CapturingLogger(this.lines, { ...this.bound, ...fields });
  }

  private push(
    level: CapturedLine['level'],
    message: string,
    fields: LogFields = {},
  ): void {
    this.lines.push({ level, message, fields: { ...this.bound, ...fields } });
  }
}
