// Rewrites every `<!-- include PATH -->` block of docs/pipeline-api.md from its file, so an
// edited example (or a regenerated expected output) reaches the doc:
//
//   npx tsx tests/docs/sync-pipeline-api.ts
//
// It never writes an expected output: regenerate one with `npx brook run` and read it first.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docFile, inclusions, repoRoot } from './doc-examples.ts';

const doc = readFileSync(docFile, 'utf8');
let out = '';
let at = 0;
let changed = 0;
for (const inc of inclusions(doc)) {
  const text = readFileSync(join(repoRoot, inc.path), 'utf8');
  out += doc.slice(at, inc.start) + text;
  at = inc.end;
  if (text !== inc.text) changed++;
}
out += doc.slice(at);
writeFileSync(docFile, out);
console.log(`docs/pipeline-api.md: ${changed} included block(s) updated`);
