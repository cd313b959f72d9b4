#!/usr/bin/env node
// `brook` command line: lets Node load the TypeScript CLI through tsx, then hands over to it.
// The CLI reads its own arguments from process.argv.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
