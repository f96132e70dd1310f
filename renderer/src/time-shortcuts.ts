import type { Shortcut } from './shortcuts';
import { timeStore } from './state/time-store';

const plain = (name: string) => (event: KeyboardEvent) =>
  event.key === name && !event.altKey && !event.ctrlKey && !event.metaKey;

/** The time bar's shortcuts; they work in every view. */
export const TIME_SHORTCUTS: Shortcut[] = [
  {
    keys: 'Alt+P',
    label: 'Pause or resume cluster time',
    scope: 'global',
    matches: (event) => event.altKey && event.code === 'KeyP',
    run: () => void timeStore.getState().togglePause(),
  },
  {
    keys: '.',
    label: 'Step one Raft tick (pauses first)',
    scope: 'global',
    matches: plain('.'),
    run: () => void timeStore.getState().step('tick'),
  },
  {
    keys: ',',
    label: 'Deliver one held message (pauses first)',
    scope: 'global',
    matches: plain(','),
    run: () => void timeStore.getState().step('message'),
  },
  {
    keys: '[ / ]',
    label: 'Slower or faster',
    scope: 'global',
    matches: (e) => plain('[')(e) || plain(']')(e),
    run: () => {},
  },
];

/**
 * `[` and `]` move the speed one step; the overlay lists them as one
 * entry, so the direction is read from the event here.
 */
export function runTimeNudge(event: KeyboardEvent): boolean {
  if (plain('[')(event) || plain(']')(event)) {
    void timeStore.getState().nudge(event.key === ']' ? 1 : -1);
    return true;
  }
  return false;
}
