import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../services/common/project-root';
import { loadRegistry, registryPath } from '../services/common/registry';
import { composeSecretVariables } from './compose-database';

/**
 * `npm run compose:secrets`: the database passwords docker-compose.yml reads, in `.env` beside it (which Docker
 * Compose reads by itself, and git ignores): the superuser's, and each service's runtime role's and owner's. A
 * password already there stays; a missing one (a new member city's) is made. Only the owner of the file may read it.
 */
export function composeSecrets(argv: string[] = process.argv.slice(2)): number {
  const { values } = parseArgs({
    args: argv,
    options: { root: { type: 'string', default: projectRoot() }, members: { type: 'string', default: registryPath() } },
  });
  const file = path.join(values.root, '.env');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const defined = new Set(existing.split('\n').map((line) => /^\s*([A-Z0-9_]+)=/.exec(line)?.[1]).filter((name): name is string => name !== undefined));
  const missing = composeSecretVariables(loadRegistry(values.members)).filter((name) => !defined.has(name));
  const added = missing.map((name) => `${name}=${randomBytes(24).toString('base64url')}`);
  if (added.length > 0) writeFileSync(file, `${existing}${existing === '' || existing.endsWith('\n') ? '' : '\n'}${added.join('\n')}\n`, { mode: 0o600 });
  if (existsSync(file)) chmodSync(file, 0o600);
  process.stdout.write(
    added.length > 0 ? `${path.relative(process.cwd(), file) || file}: ${added.length} new passwords (${missing.join(', ')})\n` : `${file}: every password is there\n`,
  );
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = composeSecrets();
  } catch (error) {
    process.stderr.write(`compose:secrets: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
