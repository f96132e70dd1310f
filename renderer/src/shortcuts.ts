import {
  addNode,
  focusById,
  healNetwork,
  isolateNode,
  killNode,
  redriveSelected,
  restartNode,
  selectNext,
  transferTo,
} from './lib/commands';
import { appStore, VIEWS, type ViewId } from './state/app-store';
import { clusterStore } from './state/cluster-store';
import { editorStore } from './state/editor-store';
import { jobsStore } from './state/jobs-store';
import { timelineStore } from './state/timeline-store';
import { moveSelection } from './components/timeline/timeline-selection';
import { runTimeNudge, TIME_SHORTCUTS } from './time-shortcuts';

/** One keyboard shortcut, as the `?` overlay lists it. */
export interface Shortcut {
  /** How the keys are written in the overlay. */
  keys: string;
  label: string;
  /** The view it works in, or everywhere. */
  scope: ViewId | 'global';
  matches(event: KeyboardEvent): boolean;
  run(): void;
}

const key =
  (name: string, mods: { alt?: boolean; ctrl?: boolean } = {}) =>
  (event: KeyboardEvent) =>
    event.key === name &&
    event.altKey === (mods.alt ?? false) &&
    (event.ctrlKey || event.metaKey) === (mods.ctrl ?? false);

/** Every shortcut of the app. */
export const SHORTCUTS: Shortcut[] = [
  {
    keys: '?',
    label: 'Show or hide this list',
    scope: 'global',
    matches: key('?'),
    run: () => {
      const { isHelpOpen, setHelpOpen } = appStore.getState();
      setHelpOpen(!isHelpOpen);
    },
  },
  ...VIEWS.map((view): Shortcut => ({
    keys: `Alt+${view.key}`,
    label: `Go to ${view.label}`,
    scope: 'global',
    matches: (event) => event.altKey && event.code === `Digit${view.key}`,
    run: () => appStore.getState().setView(view.id),
  })),
  {
    keys: 'Ctrl+`',
    label: 'Show or hide the terminal',
    scope: 'global',
    matches: key('`', { ctrl: true }),
    run: () => appStore.getState().toggleTerminal(),
  },
  {
    keys: 'Alt+T',
    label: 'Switch between light and dark',
    scope: 'global',
    matches: (event) => event.altKey && event.code === 'KeyT',
    run: () => appStore.getState().toggleTheme(),
  },
  ...TIME_SHORTCUTS,
  {
    keys: '← / →',
    label: 'Select the previous or next node',
    scope: 'topology',
    matches: (e) => e.key === 'ArrowLeft' || e.key === 'ArrowRight',
    run: () => {},
  },
  {
    keys: 'k',
    label: 'Kill the selected node (the leader if none)',
    scope: 'topology',
    matches: key('k'),
    run: () => killNode(),
  },
  {
    keys: 'r',
    label: 'Restart the selected (or a killed) node',
    scope: 'topology',
    matches: key('r'),
    run: () => restartNode(),
  },
  {
    keys: 'i',
    label: 'Isolate the selected node',
    scope: 'topology',
    matches: key('i'),
    run: () => isolateNode(),
  },
  {
    keys: 'h',
    label: 'Heal every network fault',
    scope: 'topology',
    matches: key('h'),
    run: () => healNetwork(),
  },
  {
    keys: 't',
    label: 'Transfer leadership to the selected node',
    scope: 'topology',
    matches: key('t'),
    run: () => transferTo(),
  },
  {
    keys: 'a',
    label: 'Add a node',
    scope: 'topology',
    matches: key('a'),
    run: () => addNode(),
  },
  {
    keys: 'Ctrl+S',
    label: 'Apply the config',
    scope: 'hooks',
    matches: key('s', { ctrl: true }),
    run: () => void editorStore.getState().apply(),
  },
  {
    keys: 'e',
    label: 'Export with the compatibility report',
    scope: 'hooks',
    matches: key('e'),
    run: () => void editorStore.getState().exportConfig(false),
  },
  {
    keys: 'x',
    label: 'Explain a topic',
    scope: 'hooks',
    matches: key('x'),
    run: () => {
      editorStore.getState().setTab('explain');
      setTimeout(() => focusById('explain-topic'), 0);
    },
  },
  {
    keys: 'j / k',
    label: 'Next or previous row',
    scope: 'timeline',
    matches: (e) => key('j')(e) || key('k')(e),
    run: () => {},
  },
  {
    keys: 'f',
    label: 'Follow new events on or off',
    scope: 'timeline',
    matches: key('f'),
    run: () =>
      timelineStore
        .getState()
        .setFollowing(!timelineStore.getState().isFollowing),
  },
  {
    keys: '/',
    label: 'Search payloads',
    scope: 'timeline',
    matches: key('/'),
    run: () => focusById('timeline-text'),
  },
  {
    keys: 'p',
    label: 'Filter by pattern',
    scope: 'timeline',
    matches: key('p'),
    run: () => focusById('timeline-pattern'),
  },
  {
    keys: 'g',
    label: 'Jump to a log index',
    scope: 'timeline',
    matches: key('g'),
    run: () => focusById('timeline-jump'),
  },
  {
    keys: 'Esc',
    label: 'Clear the selection',
    scope: 'global',
    matches: key('Escape'),
    run: () => {
      timelineStore.getState().select(null);
      clusterStore.getState().select(null);
      appStore.getState().setHelpOpen(false);
    },
  },
  {
    keys: 'r',
    label: 'Redrive the ticked DLQ entries',
    scope: 'jobs',
    matches: key('r'),
    run: () => redriveSelected(),
  },
  {
    keys: 'a',
    label: 'Tick every DLQ entry',
    scope: 'jobs',
    matches: key('a'),
    run: () =>
      jobsStore
        .getState()
        .setSelected(
          (jobsStore.getState().list?.dlq ?? []).flatMap((g) =>
            g.entries.map((e) => e.id),
          ),
        ),
  },
];

// the arrow, j/k and [/] entries above are listed for the overlay; their
// direction is read from the event here
function runDirectional(event: KeyboardEvent, view: ViewId): boolean {
  if (runTimeNudge(event)) {
    return true;
  }
  if (
    view === 'topology' &&
    (event.key === 'ArrowLeft' || event.key === 'ArrowRight')
  ) {
    selectNext(event.key === 'ArrowRight' ? 1 : -1);
    return true;
  }
  if (
    view === 'timeline' &&
    !event.ctrlKey &&
    !event.metaKey &&
    !event.altKey &&
    (event.key === 'j' || event.key === 'k')
  ) {
    moveSelection(event.key === 'j' ? 1 : -1);
    return true;
  }
  return false;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.isContentEditable ||
    target.closest('.cm-editor, .xterm') !== null
  );
}

/** Runs the shortcut a key press names, if any; true when one ran. */
export function handleShortcut(event: KeyboardEvent): boolean {
  const view = appStore.getState().view;
  const isCtrlS = key('s', { ctrl: true })(event) && view === 'hooks';
  if (
    isTyping(event.target) &&
    event.key !== 'Escape' &&
    !isCtrlS &&
    !event.altKey
  ) {
    return false;
  }
  if (runDirectional(event, view)) {
    return true;
  }
  const shortcut = SHORTCUTS.find(
    (s) => (s.scope === 'global' || s.scope === view) && s.matches(event),
  );
  if (shortcut === undefined) {
    return false;
  }
  shortcut.run();
  return true;
}
