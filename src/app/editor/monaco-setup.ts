// The lazily loaded half of the editor: Monaco's slim API with only the features and the one
// language (TypeScript) Brook needs, its workers, and the Brook API's types as extra libs.
// Invariant: nothing imports this module statically; load-monaco.ts reaches it by import().

import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/rename/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
// features/suggest/register only adds suggestions-as-inline-completions; the suggest widget
// itself is this contribution.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/tokenization/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/languages/definitions/typescript/register';
import {
  type ModuleResolutionKind,
  type ScriptTarget,
  ModuleKind,
  typescriptDefaults,
} from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import brookDts from 'virtual:brook-dts';

export { monaco };

/** Where the `brook` package lives for the TypeScript worker: `node_modules` at the root. */
export const BROOK_PACKAGE_ROOT = 'file:///node_modules/brook/';

/**
 * The globals a pipeline has besides ES2022: the worker it runs in gives it `console`. Kept
 * this small on purpose, so the editor does not offer DOM APIs a pipeline cannot use.
 */
const PIPELINE_GLOBALS = `interface Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
}
declare var console: Console;
`;

self.MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) =>
    label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker(),
};

// TypeScript's own enum values; Monaco's copies of the enums stop before ES2022 and Bundler.
const SCRIPT_TARGET_ES2022 = 9 as ScriptTarget;
const MODULE_RESOLUTION_BUNDLER = 100 as ModuleResolutionKind;

// As tests/typecheck-pipelines.ts and `brook run` see pipeline files: ES2022, strict, 'brook'.
typescriptDefaults.setCompilerOptions({
  target: SCRIPT_TARGET_ES2022,
  module: ModuleKind.ESNext,
  moduleResolution: MODULE_RESOLUTION_BUNDLER,
  lib: ['lib.es2022.d.ts'],
  strict: true,
  noEmit: true,
  isolatedModules: true,
  allowNonTsExtensions: true,
});
/** Gives the TypeScript worker the Brook API's declarations as the package `brook`. */
function setBrookLibs(files: Readonly<Record<string, string>>): void {
  typescriptDefaults.setExtraLibs([
    ...Object.entries(files).map(([path, content]) => ({ filePath: BROOK_PACKAGE_ROOT + path, content })),
    { filePath: 'file:///node_modules/@types/brook-pipeline-globals/index.d.ts', content: PIPELINE_GLOBALS },
  ]);
}
setBrookLibs(brookDts);
// In dev the declarations are regenerated when the engine changes: swap them in place rather
// than reloading the editors.
import.meta.hot?.accept('virtual:brook-dts', (next) => {
  if (next) setBrookLibs(next.default as Readonly<Record<string, string>>);
});
// Models are created by the editor before its worker asks for them; keep them all in sync so
// every open pipeline is type-checked, not only the visible one.
typescriptDefaults.setEagerModelSync(true);
