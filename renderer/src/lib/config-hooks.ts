import { parse } from 'smol-toml';

import {
  covers,
  matchesSubject,
  overlapWitness,
  STUDIO_HOOK_TOPICS,
} from './subject-pattern';

/** What the explainer needs of one handler. */
export interface HookPattern {
  name: string;
  pattern: string;
  isEnabled: boolean;
  type: string;
  command?: string;
  workingDir?: string;
}

/**
 * The handlers of a hooks.toml text, read leniently for the explainer
 * and the terminal's reproduce command; the backend's validator stays
 * the judge of whether the text is valid. Undefined when it does not
 * parse.
 */
export function readHooks(
  text: string,
):
  | { isEnabled: boolean; hooks: HookPattern[]; env: Record<string, string> }
  | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const section = (doc.hooks ?? {}) as Record<string, unknown>;
  const handlers = Array.isArray(section.handlers) ? section.handlers : [];
  const hooks = handlers.flatMap((raw): HookPattern[] => {
    const h = raw as Record<string, unknown>;
    if (typeof h.name !== 'string' || typeof h.pattern !== 'string') {
      return [];
    }
    return [
      {
        name: h.name,
        pattern: h.pattern,
        isEnabled: h.enabled !== false,
        type: typeof h.type === 'string' ? h.type : 'unknown',
        ...(typeof h.command === 'string' ? { command: h.command } : {}),
        ...(typeof h.working_dir === 'string'
          ? { workingDir: h.working_dir }
          : {}),
      },
    ];
  });
  const studio = (doc.studio ?? {}) as Record<string, unknown>;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(
    (studio.env ?? {}) as Record<string, unknown>,
  )) {
    if (typeof value === 'string') {
      env[name] = value;
    }
  }
  return { isEnabled: section.enabled !== false, hooks, env };
}

/** One finding about how two patterns, or one, behave. */
export interface PatternFinding {
  kind: 'never' | 'duplicate' | 'shadowed' | 'overlap';
  hook: string;
  other?: string;
  /** A subject both receive, for overlaps. */
  example?: string;
  message: string;
}

/**
 * Compares the patterns of a config: which can never match in the
 * studio, which duplicate or contain one another, and which overlap.
 */
export function analysePatterns(
  hooks: readonly HookPattern[],
): PatternFinding[] {
  const findings: PatternFinding[] = [];
  for (const hook of hooks) {
    if (!hook.isEnabled) {
      findings.push({
        kind: 'never',
        hook: hook.name,
        message: 'disabled: receives nothing',
      });
    } else if (hook.pattern.startsWith('$')) {
      findings.push({
        kind: 'never',
        hook: hook.name,
        message: `"${hook.pattern}" is in the reserved $ namespace`,
      });
    } else if (
      hook.pattern.split('.')[0] === 'hooks' &&
      !STUDIO_HOOK_TOPICS.some((topic) => matchesSubject(hook.pattern, topic))
    ) {
      findings.push({
        kind: 'never',
        hook: hook.name,
        message: `"${hook.pattern}" matches none of the hook topics the cluster emits`,
      });
    }
  }
  const enabled = hooks.filter((hook) => hook.isEnabled);
  for (let i = 0; i < enabled.length; i++) {
    for (let j = i + 1; j < enabled.length; j++) {
      const a = enabled[i]!;
      const b = enabled[j]!;
      if (a.pattern === b.pattern) {
        findings.push({
          kind: 'duplicate',
          hook: b.name,
          other: a.name,
          message: `same pattern as ${a.name}: both receive every event`,
        });
      } else if (covers(a.pattern, b.pattern) || covers(b.pattern, a.pattern)) {
        const [wide, narrow] = covers(a.pattern, b.pattern) ? [a, b] : [b, a];
        findings.push({
          kind: 'shadowed',
          hook: narrow.name,
          other: wide.name,
          message: `every event ${narrow.name} receives (${narrow.pattern}) also goes to ${wide.name} (${wide.pattern})`,
        });
      } else {
        const example = overlapWitness(a.pattern, b.pattern);
        if (example !== undefined) {
          findings.push({
            kind: 'overlap',
            hook: a.name,
            other: b.name,
            example,
            message: `${a.name} and ${b.name} both receive e.g. ${example}`,
          });
        }
      }
    }
  }
  return findings;
}
