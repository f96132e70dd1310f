import { AspenError } from '../util/errors';

/**
 * The studio's subject grammar: NATS's, made a little stricter so that every
 * subject and pattern we accept means the same thing to nats-server 2.9, to
 * production's strict pub/sub grammar and to the exported hook config.
 *
 * A subject is a `.`-separated list of tokens. Every token:
 *
 * - is non-empty (no leading, trailing or doubled `.`);
 * - contains no whitespace (anything JavaScript's `\s` matches: space, tab,
 *   NBSP, U+2000–U+200A, U+3000, BOM…) and no control character (C0, DEL,
 *   C1);
 * - contains no unpaired UTF-16 surrogate, so it encodes to UTF-8 as is;
 * - is at most {@link MAX_TOKEN_BYTES} UTF-8 bytes long.
 *
 * There are at most {@link MAX_TOKENS} tokens. A subject contains no `*` or
 * `>` at all. A pattern may use `*` (exactly one token) and `>` (one or more
 * trailing tokens, only as the last token), each only as a whole token, and
 * the whole pattern is at most {@link MAX_PATTERN_BYTES} UTF-8 bytes. Other
 * characters (`$`, emoji, `/`, `:`…) are allowed.
 *
 * nats-server 2.9 is laxer, and we reject these where it does not: control
 * characters other than `\t \n \f \r`, Unicode whitespace such as NBSP,
 * partial wildcards such as `a*` (literals there), `*` and `>` in a
 * published subject (routed as literals there), and any length up to its
 * 4 KiB protocol line. Like us, it refuses empty tokens and a `>` that is
 * not last. On everything both accept, matching agrees with the server
 * (test/engine/pubsub/nats-differential.test.ts), except for the `$` rule
 * of {@link matchSubject}. Production's limits still let a subject reach
 * 16 × 256 bytes, which is past that protocol line: forwarding such a
 * subject to NATS fails there, not here.
 *
 * Offsets are UTF-16 code unit indexes into the string, as editors count
 * columns; limits are in UTF-8 bytes, as production counts them.
 *
 * @packageDocumentation
 */

/** Most tokens in a subject or pattern (production `MAX_TOPIC_SEGMENTS`). */
export const MAX_TOKENS = 16;

/** Most UTF-8 bytes in one token (production `MAX_SEGMENT_LENGTH`). */
export const MAX_TOKEN_BYTES = 256;

/** Most UTF-8 bytes in a whole pattern (production `MAX_PATTERN_SIZE`). */
export const MAX_PATTERN_BYTES = 256;

/**
 * Where and why a subject or pattern is invalid: 0-based token position,
 * the token text, the character offset of the token start in the string
 * (for editor diagnostics), and a reason.
 */
export interface SubjectProblem {
  /** 0-based position of the offending token. */
  tokenIndex: number;
  /** The offending token's text ('' for an empty token). */
  token: string;
  /** UTF-16 offset of the token's first character in the checked string. */
  offset: number;
  /** Why it is invalid, as a lowercase phrase ("is empty"). */
  reason: string;
}

function describe(kind: string, text: string, problem: SubjectProblem) {
  if (text === '') {
    return `${kind} is empty`;
  }
  const where = `token ${problem.tokenIndex} ${JSON.stringify(problem.token)}`;
  return (
    `invalid ${kind} ${JSON.stringify(text)}: ${where} ` +
    `(offset ${problem.offset}) ${problem.reason}`
  );
}

/** A subject to publish to is malformed or contains a wildcard. */
export class InvalidSubjectError extends AspenError {
  /** Where and why, for diagnostics. */
  readonly problem: SubjectProblem;

  constructor(subject: string, problem: SubjectProblem) {
    super('INVALID_SUBJECT', describe('subject', subject, problem));
    this.name = 'InvalidSubjectError';
    this.problem = problem;
  }
}

/** A pattern to subscribe or match with is malformed. */
export class InvalidPatternError extends AspenError {
  /** Where and why, for diagnostics. */
  readonly problem: SubjectProblem;

  constructor(pattern: string, problem: SubjectProblem) {
    super('INVALID_PATTERN', describe('pattern', pattern, problem));
    this.name = 'InvalidPatternError';
    this.problem = problem;
  }
}

const DOT = 0x2e;
const STAR = 0x2a;
const GT = 0x3e;

function isWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function hex(code: number): string {
  return 'U+' + code.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * One left-to-right pass: characters are checked as they come, token rules
 * when a token ends, so the first problem in reading order is reported.
 */
function check(text: string, isPattern: boolean): SubjectProblem | undefined {
  let tokenIndex = 0;
  let start = 0;
  let tokenBytes = 0;
  let totalBytes = 0;
  let wildcards = 0;
  const problem = (end: number, reason: string): SubjectProblem => ({
    tokenIndex,
    token: text.slice(start, end),
    offset: start,
    reason,
  });
  const tokenEnd = (end: number): number => {
    const next = text.indexOf('.', end);
    return next === -1 ? text.length : next;
  };

  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : DOT;

    if (code === DOT) {
      if (i === start) {
        return problem(i, 'is empty');
      }
      if (tokenIndex >= MAX_TOKENS) {
        return problem(i, `is past the limit of ${MAX_TOKENS} tokens`);
      }
      if (wildcards > 0) {
        const single = i - start === 1;
        if (!isPattern) {
          const what = single ? 'is a wildcard' : 'has a wildcard character';
          return problem(i, `${what}; a subject takes none`);
        }
        if (!single) {
          return problem(i, 'has a wildcard that is not the whole token');
        }
        if (text.charCodeAt(start) === GT && i < text.length) {
          return problem(i, "is '>', which must be the last token");
        }
      }
      if (tokenBytes > MAX_TOKEN_BYTES) {
        const limit = `the limit is ${MAX_TOKEN_BYTES}`;
        return problem(i, `is ${tokenBytes} bytes; ${limit}`);
      }
      if (isPattern && totalBytes > MAX_PATTERN_BYTES) {
        const reason = `takes the pattern past ${MAX_PATTERN_BYTES} bytes`;
        return problem(i, reason);
      }
      totalBytes += 1;
      tokenIndex += 1;
      start = i + 1;
      tokenBytes = 0;
      wildcards = 0;
      continue;
    }

    if (isWhitespace(code)) {
      return problem(tokenEnd(i), `contains whitespace ${hex(code)}`);
    }
    if (isControl(code)) {
      return problem(tokenEnd(i), `contains control character ${hex(code)}`);
    }

    // count UTF-8 bytes; a lone surrogate has no UTF-8 form at all
    let bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    if (code >= 0xd800 && code <= 0xdfff) {
      const low = text.charCodeAt(i + 1);
      if (code > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) {
        return problem(tokenEnd(i), `contains lone surrogate ${hex(code)}`);
      }
      bytes = 4;
      i += 1;
    }
    tokenBytes += bytes;
    totalBytes += bytes;
    if (code === STAR || code === GT) {
      wildcards += 1;
    }
  }
  return undefined;
}

/** The first problem with a subject to publish to, or undefined if valid. */
export function checkSubject(subject: string): SubjectProblem | undefined {
  return check(subject, false);
}

/** The first problem with a subscription pattern, or undefined if valid. */
export function checkPattern(pattern: string): SubjectProblem | undefined {
  return check(pattern, true);
}

/**
 * The tokens of a valid subject.
 *
 * @throws {@link InvalidSubjectError} naming the offending token and why.
 */
export function parseSubject(subject: string): string[] {
  const problem = check(subject, false);
  if (problem !== undefined) {
    throw new InvalidSubjectError(subject, problem);
  }
  return subject.split('.');
}

/**
 * The tokens of a valid pattern.
 *
 * @throws {@link InvalidPatternError} naming the offending token and why.
 */
export function parsePattern(pattern: string): string[] {
  const problem = check(pattern, true);
  if (problem !== undefined) {
    throw new InvalidPatternError(pattern, problem);
  }
  return pattern.split('.');
}

/**
 * Whether a subject is one of the studio's own: its first token starts
 * with `$`.
 */
export function isReserved(subject: string): boolean {
  return subject.charCodeAt(0) === 0x24;
}

/**
 * Whether a valid pattern matches a valid subject, with NATS semantics:
 * `*` matches exactly one token, a trailing `>` one or more, anything else
 * only an identical token (case-sensitive, code unit by code unit).
 *
 * One rule of ours on top: a pattern whose first token is `*` or `>` never
 * matches a reserved subject ({@link isReserved}), so `>` does not see the
 * studio's own streams; `$studio.>` does. nats-server 2.9 has no such rule
 * within an account (its `>` receives `$x.y`).
 */
export function matchSubject(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  if (isReserved(subject) && (want[0] === '*' || want[0] === '>')) {
    return false;
  }
  for (let i = 0; i < want.length; i++) {
    const token = want[i];
    if (token === '>') {
      return have.length > i;
    }
    if (i >= have.length || (token !== '*' && token !== have[i])) {
      return false;
    }
  }
  return want.length === have.length;
}

/**
 * Production's handler matcher (`pattern_matches`, reference §3.1), kept
 * for the export report: no validation; a `>` anywhere ends the walk and
 * matches zero or more remaining tokens; `*` takes exactly one token (even
 * an empty one); partial wildcards are literals.
 */
export function matchProduction(pattern: string, topic: string): boolean {
  const want = pattern.split('.');
  const have = topic.split('.');
  for (let i = 0; i < want.length; i++) {
    const token = want[i];
    if (token === '>') {
      return true;
    }
    if (i >= have.length || (token !== '*' && token !== have[i])) {
      return false;
    }
  }
  return want.length === have.length;
}
