// A Monaco editor for one pipeline file, framework-free (mounted by CodeEditor.svelte): its own
// model, Ctrl/Cmd+Enter to run, chosen regions folded, run errors marked, type errors counted,
// and a theme that follows the system's colour scheme.
// Invariant: `onchange` fires only for edits made in the editor, never for `setValue`.

import type { CodeError } from '../../worker/protocol.ts';
import type { Monaco } from './load-monaco.ts';
import { RuntimeErrorMarks } from './runtime-error-marks.ts';
import { regionLines } from './setup-regions.ts';

/** A problem the TypeScript worker found in the code, before any run. */
export interface TypeDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

export interface CodeEditorOptions {
  readonly value: string;
  readonly readonly: boolean;
  /** Accessible name of the editing area. */
  readonly label: string;
  /** `// #region NAME` regions folded on load and after `setValue` (lessons: `['setup']`). */
  readonly fold: readonly string[];
  readonly onchange: (value: string) => void;
  readonly onrun: () => void;
  readonly ondiagnostics: (diagnostics: readonly TypeDiagnostic[]) => void;
}

export interface CodeEditorView {
  /** Replaces the code (undoable), then folds its chosen regions. No `onchange`. */
  setValue(value: string): void;
  setReadonly(readonly: boolean): void;
  /** Marks the errors of a run; they are cleared as soon as the code changes. */
  setErrors(errors: readonly CodeError[]): void;
  focus(): void;
  destroy(): void;
}

let nextModelId = 1;

const darkScheme = (): MediaQueryList => matchMedia('(prefers-color-scheme: dark)');
/** Monaco's light theme, or its dark one on Brook's dark surface (defined in monaco-setup.ts). */
const themeFor = (dark: boolean): string => (dark ? 'brook-dark' : 'vs');

/** Creates the editor inside `element` (which must have a size; the editor follows it). */
export function createCodeEditor(monaco: Monaco, element: HTMLElement, options: CodeEditorOptions): CodeEditorView {
  // Each editor gets its own file, so two editors on one page never share a model; all of them
  // resolve 'brook' from file:///node_modules/brook.
  const uri = monaco.Uri.parse(`file:///pipelines/${nextModelId++}/pipeline.ts`);
  const model = monaco.editor.createModel(options.value, 'typescript', uri);
  const scheme = darkScheme();
  const editor = monaco.editor.create(element, {
    model,
    readOnly: options.readonly,
    theme: themeFor(scheme.matches),
    ariaLabel: options.label,
    automaticLayout: true,
    minimap: { enabled: false },
    glyphMargin: true,
    folding: true,
    showFoldingControls: 'always',
    fontSize: 14,
    lineHeight: 21,
    tabSize: 2,
    scrollBeyondLastLine: false,
    // Hovers and suggestions may extend past a small editor's box.
    fixedOverflowWidgets: true,
    renderLineHighlightOnlyWhenFocus: true,
  });
  const marks = new RuntimeErrorMarks(monaco, editor);
  let settingValue = false;

  editor.addAction({
    id: 'brook.run',
    label: 'Run pipeline',
    keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
    run: () => options.onrun(),
  });

  const foldSetup = (): void => {
    const lines = regionLines(model.getValue(), options.fold);
    if (lines.length === 0) return;
    editor.trigger('brook', 'editor.fold', { selectionLines: lines.map((line) => line - 1), levels: 1 });
  };

  const reportDiagnostics = (): void => {
    const markers = monaco.editor.getModelMarkers({ resource: uri, owner: 'typescript' });
    options.ondiagnostics(
      markers
        .filter((m) => m.severity >= monaco.MarkerSeverity.Warning)
        .map((m) => ({
          severity: m.severity === monaco.MarkerSeverity.Error ? 'error' : 'warning',
          message: m.message,
          line: m.startLineNumber,
          column: m.startColumn,
        })),
    );
  };

  const onTheme = (event: MediaQueryListEvent): void => monaco.editor.setTheme(themeFor(event.matches));
  scheme.addEventListener('change', onTheme);

  const subscriptions = [
    model.onDidChangeContent(() => {
      marks.clear();
      if (!settingValue) options.onchange(model.getValue());
    }),
    monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((changed) => changed.toString() === uri.toString())) reportDiagnostics();
    }),
  ];
  foldSetup();

  return {
    setValue(value) {
      if (value === model.getValue()) return;
      settingValue = true;
      try {
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
        model.pushStackElement();
      } finally {
        settingValue = false;
      }
      editor.setScrollTop(0);
      foldSetup();
    },
    setReadonly(readonly) {
      editor.updateOptions({ readOnly: readonly });
    },
    setErrors(errors) {
      marks.show(errors);
    },
    focus() {
      editor.focus();
    },
    destroy() {
      scheme.removeEventListener('change', onTheme);
      for (const s of subscriptions) s.dispose();
      editor.dispose();
      model.dispose();
    },
  };
}
