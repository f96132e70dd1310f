/**
 * The pattern part of the compatibility report.
 *
 * @packageDocumentation
 */

import { matchProduction, matchSubject } from '../../pubsub/subject';

import type { CompatibilityFinding, FindingId } from './compatibility';
import { PRODUCTION_TOPICS } from './production-topics';

type Finding = Omit<CompatibilityFinding, 'handler'>;

function finding(
  id: FindingId,
  severity: Finding['severity'],
  message: string,
): Finding[] {
  return [{ id, severity, message }];
}

/**
 * What production's matcher and event set make of a pattern (reference
 * §3.1, §2.2): whether it can fire at all, and where its lax `>` differs
 * from the strict one the studio uses.
 *
 * @param pattern - A pattern the strict grammar accepts.
 */
export function patternFindings(pattern: string): Finding[] {
  const matching = PRODUCTION_TOPICS.filter(({ topic }) =>
    matchProduction(pattern, topic),
  );
  const findings: Finding[] = [];
  if (pattern.split('.')[0] !== 'hooks') {
    findings.push(
      ...(matching.length === 0
        ? finding(
            'user-topics-never-reach-hooks',
            'error',
            `pattern ${JSON.stringify(pattern)} matches no hook topic: ` +
              'production dispatches only its own hook events ' +
              '(hooks.<category>.<event>), never user topics, so this ' +
              'handler never runs there',
          )
        : finding(
            'user-topics-never-reach-hooks',
            'info',
            'in the studio this pattern also receives user publishes; ' +
              'production dispatches only its own hook events ' +
              '(hooks.<category>.<event>) to it',
          )),
    );
  } else if (!matching.some((topic) => topic.isEmitted)) {
    const defined = matching.map(({ topic }) => topic);
    const note =
      defined.length > 0 ? ` (${defined.join(', ')}: defined, never sent)` : '';
    findings.push(
      ...finding(
        'no-emitted-event',
        'error',
        `no event production emits matches ${JSON.stringify(pattern)}` +
          `${note}, so the handler never runs there`,
      ),
    );
  }
  if (pattern.endsWith('>')) {
    const extra = PRODUCTION_TOPICS.filter(
      ({ topic, isEmitted }) =>
        isEmitted &&
        matchProduction(pattern, topic) &&
        !matchSubject(pattern, topic),
    ).map(({ topic }) => topic);
    const prefix = pattern.slice(0, -2) || '(nothing)';
    findings.push(
      ...(extra.length > 0
        ? finding(
            'gt-matches-zero-tokens',
            'warning',
            `in production ">" also matches zero tokens, so this pattern ` +
              `also fires for ${extra.join(', ')}, which the studio did not`,
          )
        : finding(
            'gt-matches-zero-tokens',
            'info',
            `in production ">" also matches zero tokens (${prefix} itself ` +
              'matches); no hook topic production emits is affected',
          )),
    );
  }
  return findings;
}
