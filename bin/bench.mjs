#!/usr/bin/env node
// `npm run bench`: lets Node load the TypeScript benchmark through tsx, then hands over to it.
// The benchmark reads its own arguments (e.g. --quick) from process.argv.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/bench/main.ts', import.meta.url).href);
