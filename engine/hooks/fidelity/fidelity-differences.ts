import type { CompatibilityFinding, FindingId } from '../config/compatibility';
import type { HookHandlerConfig } from '../config/schema';
import type { HookTally } from './fidelity-tally';

/**
 * How one hook's two runs differ, each difference tied to the finding of
 * the export's compatibility report that explains it. A difference is
 * matched to a finding by what differs and by the hook: more nodes per
 * event is every node dispatching; a shell timeout only in production is
 * the unread stdout when the studio saw the command write more than a
 * pipe holds, the sequential dispatch when another hook shares its
 * events, and otherwise the node's environment, stdin or directory.
 *
 * @packageDocumentation
 */

/** What a difference is about. */
export type DifferenceKind =
  /** Which events reached the hook. */
  | 'events'
  /** How often a job-mode hook ran. */
  | 'job-runs'
  /** How many nodes ran one event. */
  | 'nodes-per-event'
  /** Whether attempts timed out. */
  | 'timeouts'
  /** Whether, and why, deliveries were dropped. */
  | 'drops'
  /** Whether attempts failed. */
  | 'results';

/** One way the production run differed from the studio run. */
export interface FidelityDifference {
  kind: DifferenceKind;
  /** What differs, with both runs' figures. */
  message: string;
  /** The compatibility finding that explains it; null when none does. */
  finding: FindingId | null;
  /** Whether the report lists that finding for this hook or the config. */
  isReported: boolean;
}

/** One hook's two runs and what the comparison knows of it. */
export interface DifferenceInput {
  studio: HookTally;
  production: HookTally;
  /** The hook's config entry. */
  handler?: HookHandlerConfig;
  /** The config's compatibility report. */
  report: readonly CompatibilityFinding[];
}

// what a Linux pipe holds before a writer blocks
const PIPE_BYTES = 65_536;

const QUEUE_KEYS = ['studio_queue_bound', 'studio_rate_limit'] as const;

type Found = Omit<FidelityDifference, 'isReported'>;

/** Every difference between a hook's two runs; none when they agree. */
export function hookDifferences(input: DifferenceInput): FidelityDifference[] {
  const { report, studio } = input;
  const found = [
    ...eventDifferences(input),
    ...jobRuns(input),
    ...nodesPerEvent(input),
    ...timeouts(input),
    ...drops(input),
    ...results(input),
  ];
  return found.map((difference) => ({
    ...difference,
    isReported: report.some(
      (finding) =>
        finding.id === difference.finding &&
        (finding.handler === undefined || finding.handler === studio.name),
    ),
  }));
}

function eventDifferences({ studio, production }: DifferenceInput): Found[] {
  const found: Found[] = [];
  const only = (a: HookTally, b: HookTally) =>
    a.topics.filter((topic) => !b.topics.includes(topic));
  const studioOnly = only(studio, production);
  const productionOnly = only(production, studio);
  const figures = `${studio.events} event(s) in the studio, ${production.events} in production`;
  if (studioOnly.length > 0) {
    const isHookTopic = studioOnly.every((topic) => topic.startsWith('hooks.'));
    found.push({
      kind: 'events',
      message: `${studioOnly.join(', ')} reached it only in the studio (${figures})`,
      finding: isHookTopic
        ? 'no-emitted-event'
        : 'user-topics-never-reach-hooks',
    });
  }
  if (productionOnly.length > 0) {
    found.push({
      kind: 'events',
      message: `${productionOnly.join(', ')} reached it only in production (${figures})`,
      finding: 'gt-matches-zero-tokens',
    });
  }
  return found;
}

function jobRuns({ studio, production }: DifferenceInput): Found[] {
  // no event reached it in production: the events differ, said elsewhere
  if (
    studio.mode !== 'job' ||
    production.events === 0 ||
    studio.executions === production.executions
  ) {
    return [];
  }
  const isNeverRun =
    production.executions === 0 && production.outcomes.neverRun > 0;
  return [
    {
      kind: 'job-runs',
      message:
        `${studio.executions} job attempt(s) ran in the studio; production ` +
        `ran ${production.executions} and built ` +
        `${production.outcomes.neverRun} job spec(s) nothing submitted`,
      finding: isNeverRun ? 'job-never-runs' : null,
    },
  ];
}

function nodesPerEvent({ studio, production }: DifferenceInput): Found[] {
  // a hook the studio never ran differs by its events, said elsewhere
  if (
    studio.mode !== 'direct' ||
    studio.nodesPerEvent === 0 ||
    production.nodesPerEvent <= studio.nodesPerEvent
  ) {
    return [];
  }
  return [
    {
      kind: 'nodes-per-event',
      message:
        `one event ran it on ${studio.nodesPerEvent} node(s) in the studio ` +
        `and on ${production.nodesPerEvent} in production ` +
        `(${studio.executions} against ${production.executions} executions)`,
      finding: 'fires-on-every-node',
    },
  ];
}

function timeouts({ studio, production }: DifferenceInput): Found[] {
  const inStudio = studio.outcomes.timedOut;
  const inProduction = production.outcomes.timedOut;
  if (inProduction > 0 && inStudio === 0) {
    let finding: FindingId | null = null;
    if (studio.handlerType === 'shell') {
      finding =
        studio.maxStdoutBytes > PIPE_BYTES
          ? 'stdout-never-read'
          : studio.sharesEventsWith.length > 0
            ? 'sequential-dispatch'
            : 'inherits-node-environment';
    }
    return [
      {
        kind: 'timeouts',
        message:
          `${inProduction} execution(s) timed out in production, none in ` +
          `the studio (largest stdout there: ${studio.maxStdoutBytes} bytes)`,
        finding,
      },
    ];
  }
  if (inStudio > 0 && inProduction === 0) {
    const isHung =
      studio.handlerType === 'in_process' && production.outcomes.unfinished > 0;
    return [
      {
        kind: 'timeouts',
        message:
          `${inStudio} execution(s) timed out in the studio; in production ` +
          `${production.outcomes.unfinished} ran on until they were stopped`,
        finding: isHung ? 'in-process-no-timeout' : null,
      },
    ];
  }
  return [];
}

function drops(input: DifferenceInput): Found[] {
  const { studio, production, handler } = input;
  const reasons = (tally: HookTally) => Object.keys(tally.dropReasons);
  const onlyIn = (a: HookTally, b: HookTally) =>
    reasons(a).filter((reason) => b.dropReasons[reason] === undefined);
  const found: Found[] = [];
  const productionOnly = onlyIn(production, studio);
  if (productionOnly.length > 0) {
    const isQueued = QUEUE_KEYS.some((key) => handler?.[key] !== undefined);
    found.push({
      kind: 'drops',
      message: `production dropped ${describeDrops(production, productionOnly)}; the studio did not`,
      finding: isQueued
        ? 'studio-keys-ignored'
        : studio.sharesEventsWith.length > 0
          ? 'sequential-dispatch'
          : null,
    });
  }
  const studioOnly = onlyIn(studio, production);
  if (studioOnly.length > 0) {
    const isLoopCut = studioOnly.includes('loop_cut');
    const isStudioKey = studioOnly.some(
      (reason) => reason === 'duplicate' || reason === 'queue_full',
    );
    found.push({
      kind: 'drops',
      message: `the studio dropped ${describeDrops(studio, studioOnly)}; production did not`,
      finding: isLoopCut
        ? 'studio-table-ignored'
        : isStudioKey
          ? 'studio-keys-ignored'
          : null,
    });
  }
  return found;
}

function results({ studio, production }: DifferenceInput): Found[] {
  if (studio.executions === 0 || production.executions === 0) {
    return [];
  }
  const fails = (tally: HookTally) => tally.outcomes.failed > 0;
  if (fails(studio) === fails(production)) {
    return [];
  }
  return [
    {
      kind: 'results',
      message:
        `${studio.outcomes.failed} of ${studio.executions} execution(s) ` +
        `failed in the studio, ${production.outcomes.failed} of ` +
        `${production.executions} in production`,
      finding:
        studio.handlerType === 'shell' ? 'inherits-node-environment' : null,
    },
  ];
}

function describeDrops(tally: HookTally, reasons: string[]): string {
  return reasons
    .map((reason) => `${tally.dropReasons[reason]} as ${reason}`)
    .join(', ');
}
