import type { TimelineEvent } from '../../../preload/contract';

import { deliveriesOf, deliveryVerdict } from './deliveries';
import { matchesSubject, patternProblem } from './subject-pattern';

/** A fact about the cluster that no log entry carries (kill, cut…). */
export interface Observation {
  /** `obs-<seq>`. */
  id: string;
  text: string;
  tone: 'fault' | 'recover' | 'info';
  /** Local time it was seen (Unix ms). */
  time: number;
}

/**
 * One row of the timeline, in global order: events by `index.offset`,
 * observations after every event of the index that was applied when
 * they were seen.
 */
export type TimelineRow =
  | { kind: 'event'; index: number; sub: number; event: TimelineEvent }
  | { kind: 'observation'; index: number; sub: number; obs: Observation };

/** Which rows a status filter keeps. */
export type StatusFilter = 'all' | 'cluster' | 'delivered' | 'failed' | 'none';

/** What the timeline shows. */
export interface TimelineFilter {
  /** A hooks pattern on the topic; '' for any. */
  pattern: string;
  /** Text in the topic or the payload JSON; '' for any. */
  text: string;
  status: StatusFilter;
  /** Events a hook receives (its pattern); '' for any. */
  hook: string;
}

export const EMPTY_FILTER: TimelineFilter = {
  pattern: '',
  text: '',
  status: 'all',
  hook: '',
};

/** A row's id: the event id, or the observation's. */
export function rowId(row: TimelineRow): string {
  return row.kind === 'event' ? row.event.id : row.obs.id;
}

/** Whether the filter keeps everything. */
export function isEmptyFilter(filter: TimelineFilter): boolean {
  return (
    filter.pattern === '' &&
    filter.text === '' &&
    filter.status === 'all' &&
    filter.hook === ''
  );
}

const payloadText = new WeakMap<TimelineEvent, string>();

function searchable(event: TimelineEvent): string {
  let text = payloadText.get(event);
  if (text === undefined) {
    text = `${event.topic}\n${JSON.stringify(event.payload)}`.toLowerCase();
    payloadText.set(event, text);
  }
  return text;
}

/**
 * Builds the row test of a filter, or says what is wrong with it.
 * `hookPatterns` maps hook names to their patterns.
 */
export function compileFilter(
  filter: TimelineFilter,
  hookPatterns: ReadonlyMap<string, string>,
): { test: (row: TimelineRow) => boolean } | { error: string } {
  const pattern = filter.pattern.trim();
  if (pattern !== '') {
    const problem = patternProblem(pattern);
    if (problem !== undefined) {
      return { error: `pattern: ${problem}` };
    }
  }
  const hookPattern =
    filter.hook === '' ? undefined : hookPatterns.get(filter.hook);
  const needle = filter.text.trim().toLowerCase();
  const test = (row: TimelineRow): boolean => {
    if (row.kind === 'observation') {
      return (
        filter.status === 'cluster' ||
        (filter.status === 'all' &&
          pattern === '' &&
          needle === '' &&
          filter.hook === '')
      );
    }
    const { event } = row;
    if (pattern !== '' && !matchesSubject(pattern, event.topic)) {
      return false;
    }
    if (filter.hook !== '') {
      const isReceived =
        (hookPattern !== undefined &&
          matchesSubject(hookPattern, event.topic)) ||
        deliveriesOf(event.id).attempts.some((a) => a.hook === filter.hook);
      if (!isReceived) {
        return false;
      }
    }
    if (needle !== '' && !searchable(event).includes(needle)) {
      return false;
    }
    return matchesStatus(filter.status, event);
  };
  return { test };
}

function matchesStatus(status: StatusFilter, event: TimelineEvent): boolean {
  switch (status) {
    case 'all':
      return true;
    case 'cluster':
      return event.topic.startsWith('hooks.cluster.');
    case 'delivered':
      return deliveryVerdict(deliveriesOf(event.id)) === 'ok';
    case 'failed':
      return deliveryVerdict(deliveriesOf(event.id)) === 'failed';
    case 'none':
      return deliveryVerdict(deliveriesOf(event.id)) === 'none';
  }
}
