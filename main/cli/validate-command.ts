import { parseArgs } from 'node:util';

import { validateConfig } from '../studio/config-ops';
import { EXIT, located, readInput, UsageError, type CliIo } from './cli-io';

/** `validate <hooks.toml>`: every problem as `file:line:col: message`. */
export async function validateCommand(
  argv: string[],
  io: CliIo,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new UsageError('usage: aspen-studio validate <hooks.toml> [--json]');
  }
  const text = await readInput(file);
  const { isValid, diagnostics } = validateConfig({ text, file });
  if (values.json) {
    io.out(`${JSON.stringify({ file, isValid, diagnostics }, null, 2)}\n`);
  } else {
    for (const d of diagnostics) {
      const message =
        d.severity === 'error' ? d.message : `warning: ${d.message}`;
      io.out(`${located(d.file, d.line, d.column, message)}\n`);
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    io.err(
      isValid
        ? `${file}: valid (${plural(warnings, 'warning')})\n`
        : `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
    );
  }
  return isValid ? EXIT.ok : EXIT.badInput;
}

/** `3 errors`, `1 warning`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
