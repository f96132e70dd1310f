import { createStore } from 'zustand/vanilla';

import type {
  AppliedConfig,
  ConfigExportResponse,
  Diagnostic,
} from '../../../preload/contract';
import { describeError, invoke } from '../api';

import { hooksPoller } from './hooks-store';
import { noticeStore } from './notice-store';

/** The outcome of the last apply, for the line under the editor. */
export type ApplyOutcome =
  | { kind: 'applied'; version: number; index: number; warnings: number }
  | { kind: 'refused'; message: string };

/** The tool tabs beside the editor. */
export type EditorTab = 'hooks' | 'explain' | 'fire' | 'export';

interface EditorState {
  tab: EditorTab;
  setTab(tab: EditorTab): void;
  /** The editor's text (what apply sends). */
  text: string;
  /** Path of the workspace's hooks.toml. */
  file: string;
  /** Bumped when the text is replaced from outside the editor. */
  loadSeq: number;
  diagnostics: Diagnostic[];
  /** The text the diagnostics are for. */
  checkedText: string | null;
  applied: AppliedConfig | null;
  isApplying: boolean;
  outcome: ApplyOutcome | null;
  exported: ConfigExportResponse | null;
  /** The previous export's TOML, to diff against. */
  lastExport: string | null;
  load(): Promise<void>;
  setText(text: string): void;
  replaceText(text: string): void;
  setDiagnostics(text: string, diagnostics: Diagnostic[]): void;
  apply(): Promise<void>;
  exportConfig(stripStudioKeys: boolean): Promise<void>;
  importConfig(text: string, format: 'toml' | 'json'): Promise<void>;
}

const LAST_EXPORT_KEY = 'aspen-last-export:';

/** Validates a text with the backend's validator. */
export async function validateText(text: string): Promise<Diagnostic[]> {
  const result = await invoke('config:validate', { text });
  return result.diagnostics;
}

function errorsOf(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

/** The hooks.toml being edited, its diagnostics, apply and export. */
export const editorStore = createStore<EditorState>()((set, get) => ({
  tab: 'hooks',
  setTab: (tab) => set({ tab }),
  text: '',
  file: 'hooks.toml',
  loadSeq: 0,
  diagnostics: [],
  checkedText: null,
  applied: null,
  isApplying: false,
  outcome: null,
  exported: null,
  lastExport: null,
  load: async () => {
    const config = await invoke('config:get', {});
    set((state) => ({
      text: config.text,
      file: config.file,
      applied: config.applied,
      diagnostics: config.diagnostics,
      checkedText: config.text,
      loadSeq: state.loadSeq + 1,
      lastExport: localStorage.getItem(LAST_EXPORT_KEY + config.file),
    }));
  },
  setText: (text) => set({ text }),
  replaceText: (text) =>
    set((state) => ({ text, loadSeq: state.loadSeq + 1, outcome: null })),
  setDiagnostics: (text, diagnostics) => {
    if (text === get().text) {
      set({ diagnostics, checkedText: text });
    }
  },
  apply: async () => {
    const { text } = get();
    set({ isApplying: true, outcome: null });
    try {
      // the same validator as the backend, run on exactly this text
      const diagnostics = await validateText(text);
      get().setDiagnostics(text, diagnostics);
      const errors = errorsOf(diagnostics);
      if (errors.length > 0) {
        const first = errors[0]!;
        const message =
          `${errors.length} error${errors.length === 1 ? '' : 's'}; ` +
          `line ${first.line}: ${first.message}`;
        set({ outcome: { kind: 'refused', message } });
        return;
      }
      const result = await invoke('config:apply', { text });
      set({
        outcome: {
          kind: 'applied',
          version: result.version,
          index: result.index,
          warnings: result.warnings.length,
        },
        applied: { version: result.version, index: result.index, text },
      });
      void hooksPoller.refresh();
    } catch (error) {
      set({ outcome: { kind: 'refused', message: describeError(error) } });
    } finally {
      set({ isApplying: false });
    }
  },
  exportConfig: async (stripStudioKeys) => {
    set({ tab: 'export' });
    try {
      const exported = await invoke('config:export', {
        text: get().text,
        format: 'toml',
        stripStudioKeys,
      });
      const key = LAST_EXPORT_KEY + get().file;
      const previous = localStorage.getItem(key);
      localStorage.setItem(key, exported.content);
      set({ exported, lastExport: previous });
    } catch (error) {
      noticeStore.getState().push('error', `Export: ${describeError(error)}`);
    }
  },
  importConfig: async (text, format) => {
    try {
      const result = await invoke('config:import', { text, format });
      get().replaceText(result.text);
      const warnings = result.warnings.length;
      noticeStore
        .getState()
        .push(
          'info',
          `Imported into the editor${warnings > 0 ? ` with ${warnings} warnings` : ''}; apply to run it`,
        );
    } catch (error) {
      noticeStore.getState().push('error', `Import: ${describeError(error)}`);
    }
  },
}));
