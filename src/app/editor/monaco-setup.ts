// The lazily loaded half of the editor: Monaco's slim API with only the features and the one
// language (TypeScript) Brook needs, its workers, and the Brook API's types as extra libs.
// Invariant: nothing imports this module statically; load-monaco.ts reaches it by import().

import * as monaco from 'monaco-editor/editor';
// The TypeScript language (tsMode) reaches monaco's internal/common/workers.js, which imports
// every editor contribution, codelens and drop-into-editor among them. Their services register
// as singletons on import, but the standalone services are collected once, when the first
// editor is created, before tsMode arrives: later editors then log "depends on UNKNOWN service
// ICodeLensCache / treeViewsDndService". Registering both services up front keeps them known.
import 'monaco-editor/editor/contrib/codelens/browser/codeLensCache';
import 'monaco-editor/editor/common/services/treeViewsDndService';
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
import { conf as typescriptConfiguration } from 'monaco-editor/languages/definitions/typescript/typescript';
import {
  type ModuleKind,
  type ModuleResolutionKind,
  type ScriptTarget,
  typescriptDefaults,
} from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import brookDts from 'virtual:brook-dts';
import { BROOK_PACKAGE_ROOT, PIPELINE_COMPILER_OPTIONS, PIPELINE_GLOBALS_DTS } from './pipeline-compiler-options.ts';

export { monaco };

self.MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) =>
    label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker(),
};

// TypeScript's language configuration (brackets, comments, `#region` folding markers) would
// arrive lazily after the first model appears, after the editor had computed its folding
// ranges without the markers, so setup regions would not fold on load. Set it up front.
monaco.languages.setLanguageConfiguration('typescript', typescriptConfiguration);

// Monaco's dark theme on the page's dark surface (app.css --surface), so the editor sits in
// the page rather than on a grey slab. The light theme's white already matches.
monaco.editor.defineTheme('brook-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#132129', 'editorGutter.background': '#132129' },
});

typescriptDefaults.setCompilerOptions({
  ...PIPELINE_COMPILER_OPTIONS,
  target: PIPELINE_COMPILER_OPTIONS.target as ScriptTarget,
  module: PIPELINE_COMPILER_OPTIONS.module as ModuleKind,
  moduleResolution: PIPELINE_COMPILER_OPTIONS.moduleResolution as ModuleResolutionKind,
  lib: [...PIPELINE_COMPILER_OPTIONS.lib],
  allowNonTsExtensions: true,
});

/** Gives the TypeScript worker the Brook API's declarations as the package `brook`. */
function setBrookLibs(files: Readonly<Record<string, string>>): void {
  typescriptDefaults.setExtraLibs([
    ...Object.entries(files).map(([path, content]) => ({ filePath: BROOK_PACKAGE_ROOT + path, content })),
    { filePath: 'file:///node_modules/@types/brook-pipeline-globals/index.d.ts', content: PIPELINE_GLOBALS_DTS },
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
