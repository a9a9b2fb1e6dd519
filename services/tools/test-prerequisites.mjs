// What `npm test` needs from the machine, checked before anything is built or run: a missing server would otherwise
// show as dozens of failed tests. Prints one line naming what is missing and how to get it, and exits 1.
//
// Plain JavaScript, because it runs before anything is compiled. The addresses are the tests' own defaults and
// their overrides (DEVELOPERS.md): TEST_DATABASE_URL, TEST_REDIS_URL, CHROMIUM_PATH.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const DEBIAN_SETUP = 'apt-get install -y postgresql redis-server chromium (then start PostgreSQL with trust auth for 127.0.0.1, and Redis)';

function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || defaultPort) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function onPath(command) {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const database = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redis = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const missing = [];
if (!(await reachable(database, 5432))) missing.push(`PostgreSQL at ${new URL(database).host} (TEST_DATABASE_URL)`);
if (!(await reachable(redis, 6379))) missing.push(`Redis at ${new URL(redis).host} (TEST_REDIS_URL)`);
if (!onPath('psql')) missing.push('psql (the PostgreSQL client)');
if (!existsSync(chromium)) missing.push(`Chromium at ${chromium} (CHROMIUM_PATH)`);

if (missing.length > 0) {
  console.error(`npm test needs ${missing.join(', ')}; on Debian: ${DEBIAN_SETUP}; see DEVELOPERS.md.`);
  process.exit(1);
}
