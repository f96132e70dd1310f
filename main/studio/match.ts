import type { HooksConfig } from '../../engine/hooks/config/index';
import {
  checkPattern,
  checkSubject,
  InvalidPatternError,
  InvalidSubjectError,
  matchProduction,
  matchSubject,
} from '../../engine/pubsub/subject';
import type { SubjectMatch } from '../../preload/contract';

/**
 * Tests subjects against one pattern: per subject a match, no match, or
 * invalid with the reason, plus what production's looser matcher says.
 *
 * @throws `INVALID_PATTERN` naming the bad token and why.
 */
export function matchPattern(
  pattern: string,
  subjects: readonly string[],
): SubjectMatch[] {
  const problem = checkPattern(pattern);
  if (problem !== undefined) {
    throw new InvalidPatternError(pattern, problem);
  }
  return subjects.map((subject) => {
    const invalid = invalidSubject(subject);
    if (invalid !== undefined) {
      return invalid;
    }
    return {
      subject,
      verdict: matchSubject(pattern, subject) ? 'match' : 'no-match',
      isProductionMatch: matchProduction(pattern, subject),
    };
  });
}

/**
 * Which hooks of `config` receive each subject: the enabled handlers whose
 * pattern matches, in config order (none when hooks are disabled).
 */
export function matchConfig(
  config: HooksConfig,
  subjects: readonly string[],
): SubjectMatch[] {
  const handlers = config.enabled
    ? config.handlers.filter((handler) => handler.enabled)
    : [];
  return subjects.map((subject) => {
    const invalid = invalidSubject(subject);
    if (invalid !== undefined) {
      return invalid;
    }
    const hooks = handlers
      .filter((handler) => matchSubject(handler.pattern, subject))
      .map((handler) => handler.name);
    return {
      subject,
      verdict: hooks.length > 0 ? 'match' : 'no-match',
      hooks,
    };
  });
}

function invalidSubject(subject: string): SubjectMatch | undefined {
  const problem = checkSubject(subject);
  if (problem === undefined) {
    return undefined;
  }
  const reason = new InvalidSubjectError(subject, problem).message;
  return { subject, verdict: 'invalid', reason };
}
