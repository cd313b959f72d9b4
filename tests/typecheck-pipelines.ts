// Type-checks pipeline files against the real Brook API (`'brook'` resolves to
// src/engine/api/index.ts), as the editor and `brook run` see them. Shared by the tests of the
// examples and of the documentation's examples, so neither can drift from the API.

import ts from 'typescript';
import { join } from 'node:path';

/** Type errors in `files` (only those whose path contains `within`), as "file:line: message". */
export function typeErrorsOf(files: readonly string[], repoRoot: string, within: string, show: (file: string) => string = (f) => f): string[] {
  const program = ts.createProgram([...files], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    paths: { brook: [join(repoRoot, 'src/engine/api/index.ts')] },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.includes(within))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${show(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}
