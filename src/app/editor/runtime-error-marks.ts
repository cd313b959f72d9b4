// Marks the errors of a run (CodeError from the worker) on the lines of the user's code: a
// squiggle with the message (a marker) plus a glyph in the margin and a tinted line.
// Lifetime: shown until the code changes or the next run's errors replace them.

import type { CodeError } from '../../worker/protocol.ts';
import type { Monaco } from './load-monaco.ts';

type Editor = ReturnType<Monaco['editor']['create']>;

/** Marker owner, so run errors never mix with the TypeScript worker's own markers. */
export const RUN_MARKER_OWNER = 'brook-run';

const KIND_LABEL: Record<CodeError['kind'], string> = {
  compile: 'Compile error',
  definition: 'Pipeline error',
  runtime: 'Runtime error',
  input: 'Input error',
  timeout: 'Timed out',
  storage: 'Storage error',
  internal: 'Internal error',
};

/** The run errors currently marked in one editor. */
export class RuntimeErrorMarks {
  readonly #monaco: Monaco;
  readonly #editor: Editor;
  readonly #decorations: ReturnType<Editor['createDecorationsCollection']>;
  #shown = false;

  constructor(monaco: Monaco, editor: Editor) {
    this.#monaco = monaco;
    this.#editor = editor;
    this.#decorations = editor.createDecorationsCollection();
  }

  /** Replaces the marks with `errors`; errors without a line are left to the page to show. */
  show(errors: readonly CodeError[]): void {
    const model = this.#editor.getModel();
    if (!model) return;
    const lineCount = model.getLineCount();
    const located = errors.filter((e) => e.line !== undefined && e.line >= 1);
    const markers = located.map((error) => {
      const line = Math.min(error.line!, lineCount);
      const first = model.getLineFirstNonWhitespaceColumn(line) || 1;
      const start = error.column !== undefined && error.column >= first ? error.column : first;
      const end = Math.max(model.getLineMaxColumn(line), start + 1);
      return {
        severity: this.#monaco.MarkerSeverity.Error,
        message: `${KIND_LABEL[error.kind]}: ${error.message}`,
        source: 'Brook',
        startLineNumber: line,
        startColumn: start,
        endLineNumber: line,
        endColumn: end,
      };
    });
    this.#monaco.editor.setModelMarkers(model, RUN_MARKER_OWNER, markers);
    this.#decorations.set(
      markers.map((marker) => ({
        range: new this.#monaco.Range(marker.startLineNumber, 1, marker.startLineNumber, 1),
        options: {
          isWholeLine: true,
          className: 'brook-run-error-line',
          glyphMarginClassName: 'brook-run-error-glyph codicon codicon-error',
          glyphMarginHoverMessage: { value: marker.message },
          overviewRuler: { color: '#e5484d', position: this.#monaco.editor.OverviewRulerLane.Full },
        },
      })),
    );
    this.#shown = markers.length > 0;
  }

  /** Removes every mark (the code they point into has changed). */
  clear(): void {
    if (!this.#shown) return;
    const model = this.#editor.getModel();
    if (model) this.#monaco.editor.setModelMarkers(model, RUN_MARKER_OWNER, []);
    this.#decorations.clear();
    this.#shown = false;
  }
}
