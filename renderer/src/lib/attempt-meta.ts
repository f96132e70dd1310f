/** What an attempt's exit line says. */
export interface AttemptExit {
  /** The exit code, when the line names one. */
  code: number | null;
  isOk: boolean;
  /** Milliseconds the attempt took, from the line or measured here. */
  durationMs: number | null;
  text: string;
}

const EXIT_CODE =
  /\bexit(?:ed)?(?:\s+with)?(?:\s+(?:code|status))?\s*[:=]?\s*(-?\d+)/i;
const DURATION = /(\d+(?:\.\d+)?)\s*(ms|s)\b/;
const FAILURE =
  /\b(fail(?:ed|ure)?|error|timed out|timeout|killed|signal|retry|dead|abort(?:ed)?|terminal)\b/i;
const SUCCESS = /\b(succeeded|success|ok)\b/i;

/**
 * Reads an exit line of the terminal feed. The contract carries it as
 * text (`stream: 'meta'`), so the code, verdict and duration are taken
 * from the words; a line naming none of them is not an exit line.
 */
export function parseExitLine(text: string): AttemptExit | undefined {
  const code = EXIT_CODE.exec(text);
  const failure = FAILURE.test(text);
  const success = SUCCESS.test(text);
  if (code === null && !failure && !success) {
    return undefined;
  }
  const exitCode = code === null ? null : Number(code[1]);
  const duration = DURATION.exec(text);
  let durationMs: number | null = null;
  if (duration !== null) {
    const value = Number(duration[1]);
    durationMs = duration[2] === 's' ? value * 1000 : value;
  }
  const isOk = exitCode === null ? success && !failure : exitCode === 0;
  return { code: exitCode, isOk, durationMs, text };
}
