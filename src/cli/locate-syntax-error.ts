// A second opinion on where a syntax error is. Sucrase parses arrow functions speculatively,
// so an error inside `export default (p) => { ... }` is reported at the arrow on line 1. When
// the TypeScript compiler is installed, its parser names the exact spot and says what it expected.

import { createRequire } from 'node:module';
import { CompileError } from './compile-pipeline.ts';

type TypeScript = typeof import('typescript');

let typescript: TypeScript | null | undefined;

/** The TypeScript compiler if it is installed (a development dependency), else null. */
function loadTypeScript(): TypeScript | null {
  if (typescript === undefined) {
    try {
      typescript = createRequire(import.meta.url)('typescript') as TypeScript;
    } catch {
      typescript = null;
    }
  }
  return typescript;
}

/**
 * The first syntax error TypeScript's parser finds in `source`, or undefined when TypeScript
 * is not installed or finds none (sucrase's error then stands).
 */
export function locateSyntaxError(source: string, file: string): CompileError | undefined {
  const ts = loadTypeScript();
  if (!ts) return undefined;
  const { diagnostics = [] } = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  const first = diagnostics.find((d) => d.category === ts.DiagnosticCategory.Error && d.file && d.start !== undefined);
  if (!first) return undefined;
  const { line, character } = first.file!.getLineAndCharacterOfPosition(first.start!);
  return new CompileError(file, line + 1, character + 1, ts.flattenDiagnosticMessageText(first.messageText, '\n'));
}
