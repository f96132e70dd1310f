import { StreamLanguage } from '@codemirror/language';
import { toml } from '@codemirror/legacy-modes/mode/toml';
import {
  linter,
  lintGutter,
  type Diagnostic as CmDiagnostic,
} from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';

import type { Diagnostic } from '../../../../preload/contract';
import { editorStore, validateText } from '../../state/editor-store';

let activeView: EditorView | undefined;

/** Moves the cursor to a line of the editor and focuses it. */
export function revealLine(line: number, column = 1): void {
  const view = activeView;
  if (view === undefined) {
    return;
  }
  const target = view.state.doc.line(
    Math.min(Math.max(line, 1), view.state.doc.lines),
  );
  const pos = Math.min(target.from + column - 1, target.to);
  view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
  view.focus();
}

function toCm(view: EditorView, d: Diagnostic): CmDiagnostic {
  const doc = view.state.doc;
  const at = (line: number, column: number) => {
    const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
    return Math.min(l.from + Math.max(column - 1, 0), l.to);
  };
  const from = at(d.line, d.column);
  let to =
    d.endLine === undefined ? from : at(d.endLine, d.endColumn ?? d.column);
  if (to <= from) {
    to = Math.min(from + 1, doc.line(Math.min(d.line, doc.lines)).to);
  }
  return {
    from,
    to: Math.max(to, from),
    severity: d.severity,
    message: d.message,
    source: d.rule,
  };
}

// the backend's validator, asked after a pause in typing
const backendLint = linter(
  async (view) => {
    const text = view.state.doc.toString();
    try {
      const diagnostics = await validateText(text);
      editorStore.getState().setDiagnostics(text, diagnostics);
      return diagnostics.map((d) => toCm(view, d));
    } catch {
      return [];
    }
  },
  { delay: 350 },
);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'var(--mono)' },
});

/** hooks.toml in CodeMirror, linted by the backend's validator. */
export function TomlEditor(): React.JSX.Element {
  const hostRef = useRef<HTMLDivElement>(null);
  const loadSeq = useStore(editorStore, (state) => state.loadSeq);

  useEffect(() => {
    const host = hostRef.current;
    if (host === null) {
      return;
    }
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: editorStore.getState().text,
        extensions: [
          keymap.of([
            {
              key: 'Mod-s',
              preventDefault: true,
              run: () => {
                void editorStore.getState().apply();
                return true;
              },
            },
          ]),
          basicSetup,
          StreamLanguage.define(toml),
          lintGutter(),
          backendLint,
          theme,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({
            'aria-label': 'hooks.toml editor',
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) {
              editorStore.getState().setText(update.state.doc.toString());
            }
          }),
        ],
      }),
    });
    activeView = view;
    return () => {
      if (activeView === view) {
        activeView = undefined;
      }
      view.destroy();
    };
  }, []);

  // text replaced from outside (load, import): swap the document
  useEffect(() => {
    const view = activeView;
    const text = editorStore.getState().text;
    if (view !== undefined && view.state.doc.toString() !== text) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
      });
    }
  }, [loadSeq]);

  return <div className="code-host" ref={hostRef} data-testid="toml-editor" />;
}
