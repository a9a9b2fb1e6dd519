// Builds what changed, and nothing when nothing did: `npm start` and every other script call it before they run.
//
//   node services/tools/build.mjs           the services (tsc) and the dashboard (Vite), each only when a file it
//                                            is built from changed since the last build
//   node services/tools/build.mjs --clean   both from scratch, after deleting dist/ (npm test and CI: a clean
//                                            build cannot keep an output whose source is gone)
//
// Plain JavaScript, because it runs before anything is compiled. A build is recorded in dist/build-state.json by
// a fingerprint of its inputs (every file's path, size and modification time, and the lock file's), so that the
// check costs a directory walk, not a compiler start. tsc itself builds incrementally (dist/tsconfig.tsbuildinfo),
// so a change to one file recompiles what depends on it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const STATE_FILE = path.join(DIST, 'build-state.json');
const DASHBOARD = path.join('gateway', 'dashboard');
const DASHBOARD_OUTPUT = path.join(DIST, 'dashboard');
/** What tsc compiles (tsconfig.json's `include`), less the dashboard, which Vite builds. */
const SERVER_SOURCES = ['services', 'gateway', 'schema', 'tests', 'bench'];
const SHARED_INPUTS = ['package-lock.json', 'tsconfig.json'];
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

const clean = process.argv.includes('--clean');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function* filesUnder(relative) {
  const absolute = path.join(ROOT, relative);
  if (!existsSync(absolute)) return;
  if (statSync(absolute).isFile()) {
    yield relative;
    return;
  }
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) yield* filesUnder(child);
    else yield child;
  }
}

/** Path, size and modification time of every input: what changes when a file is edited, added, removed or checked out. */
function fingerprint(roots, skip = () => false) {
  const hash = createHash('sha256');
  const files = roots.flatMap((root) => [...filesUnder(root)]).filter((file) => !skip(file)).sort();
  for (const file of files) {
    const { size, mtimeMs } = statSync(path.join(ROOT, file));
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function readState() {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return {};
  }
}

/** Outputs of sources that are gone (a file renamed or deleted) would still run: tsc's incremental build keeps them. */
function removeOrphanedOutputs() {
  for (const output of filesUnder('dist')) {
    if (output.startsWith(path.join('dist', 'dashboard') + path.sep)) continue;
    const match = /^dist[\\/](.*)\.(js|js\.map)$/.exec(output);
    if (!match) continue;
    const stem = path.join(ROOT, match[1]);
    if (!SOURCE_EXTENSIONS.some((extension) => existsSync(stem + extension))) rmSync(path.join(ROOT, output));
  }
}

if (clean) rmSync(DIST, { recursive: true, force: true });
const state = clean ? {} : readState();
const inDashboard = (file) => file === DASHBOARD || file.startsWith(DASHBOARD + path.sep);
const next = {
  server: fingerprint([...SERVER_SOURCES, ...SHARED_INPUTS], inDashboard),
  dashboard: fingerprint([DASHBOARD, ...SHARED_INPUTS]),
};

const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
if (state.server !== next.server || !existsSync(path.join(DIST, 'services'))) {
  run(process.execPath, [tsc, '-p', '.', '--incremental', '--tsBuildInfoFile', path.join('dist', 'tsconfig.tsbuildinfo')]);
  removeOrphanedOutputs();
  state.server = next.server;
}
if (state.dashboard !== next.dashboard || !existsSync(path.join(DASHBOARD_OUTPUT, 'index.html'))) {
  run(process.execPath, [tsc, '-p', DASHBOARD]);
  run(process.execPath, [vite, 'build', '--config', path.join(DASHBOARD, 'vite.config.mts'), '--logLevel', 'warn']);
  state.dashboard = next.dashboard;
}
mkdirSync(DIST, { recursive: true });
writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
