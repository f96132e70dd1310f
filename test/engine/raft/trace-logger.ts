import type { LogFields, Logger } from '../../../engine/ports/logger';

/** Puts the core's info-and-above lines into the trace. */
export class TraceLogger implements Logger {
  constructor(
    private readonly lines: string[],
    private readonly fields: LogFields = {},
  ) {}

  trace(): void {}
  debug(): void {}
  info(message: string, fields?: LogFields): void {
    this.push('INFO', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.push('WARN', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.push('ERROR', message, fields);
  }
  child(fields: LogFields): Logger {
    return new TraceLogger(this.lines, { ...this.fields, ...fields });
  }

  private push(level: string, message: string, fields: LogFields = {}): void {
    const rest = Object.entries(fields)
      .map(([key, value]) => ` ${key}=${String(value)}`)
      .join('');
    this.lines.push(
      `  ${level} ${String(this.fields.node)}: ${message}${rest}`,
    );
  }
}
