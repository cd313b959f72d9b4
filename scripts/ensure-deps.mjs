// Installs dependencies before `npm start` / `npm test` when they are missing or out of date.
//
// Installed means node_modules/.package-lock.json exists (npm writes it at the end of every
// install). Out of date means package-lock.json was changed after that, e.g. by a pull.
// Never reads standard input, so it runs the same in CI, in hooks and at a terminal.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockfile = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

// npm writes package-lock.json and the hidden lockfile within moments of each other, in
// either order; a lockfile only this much newer comes from the same install.
const SAME_INSTALL_MS = 2000;

function installReason() {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(installed)) return 'node_modules has no record of a finished install';
  if (existsSync(lockfile) && statSync(lockfile).mtimeMs - statSync(installed).mtimeMs > SAME_INSTALL_MS) {
    return 'package-lock.json changed since the last install';
  }
  return null;
}

function npm(args) {
  const result = spawnSync('npm', args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (result.error) {
    console.error(`ensure-deps: could not run npm: ${result.error.message}`);
    process.exit(1);
  }
  return result.status ?? 1;
}

const reason = installReason();
if (reason) {
  const hasLock = existsSync(lockfile);
  console.log(`ensure-deps: ${reason}; running npm ${hasLock ? 'ci' : 'install'}`);
  let status = npm(hasLock ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  // A registry mirror without other platforms' optional packages (rollup's, through
  // vite-plugin-pwa) writes a lockfile that `npm ci` calls out of sync, though `npm install`
  // installs exactly its versions and leaves it unchanged.
  if (status !== 0 && hasLock) {
    console.log('ensure-deps: npm ci refused the lockfile; running npm install with it instead');
    status = npm(['install', '--no-audit', '--no-fund']);
  }
  if (status !== 0) process.exit(status);
}
