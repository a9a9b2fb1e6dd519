import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { TestFederation, type FederationOptions } from './federation';
import { distScript, type ServiceProcess } from './processes';

/** A federation on `membersFile`, whose cities ask its forum for their membership (TestFederation tells them where). */
export function startFederationWithForumAddress(membersFile: string, options: FederationOptions = {}): Promise<TestFederation> {
  return TestFederation.start({ ...options, membersFile });
}

/** Replaces the registry file in one step, as an editor that saves by renaming does: no reader sees half a file. */
export function rewriteRegistry(membersFile: string, change: (registry: { members: Array<Record<string, any>> } & Record<string, any>) => void): void {
  const registry = JSON.parse(readFileSync(membersFile, 'utf8'));
  change(registry);
  const next = `${membersFile}.next`;
  writeFileSync(next, `${JSON.stringify(registry, null, 2)}\n`);
  renameSync(next, membersFile);
}

/**
 * Adds a member the way an operator does (`npm run add-member`), into `membersFile`; generated files go to `root`,
 * not to the checkout. Without a database URL, so that it makes no database roles (the city's service makes them
 * itself on the test database).
 */
export function addMemberToRegistry(membersFile: string, root: string, member: { id: string; name: string; port: number; since: string }): string {
  const { DATABASE_URL: _none, ...environment } = process.env;
  return execFileSync(
    process.execPath,
    [
      distScript('schema', 'add-member.js'),
      '--members', membersFile,
      '--root', root,
      '--id', member.id,
      '--name', member.name,
      '--port', String(member.port),
      '--since', member.since,
      '--since-note', 'Test city.',
      '--population', '117000',
      '--population-year', '2023',
      '--population-note', 'Test city: rounded estimate.',
      '--migration-share', '0.28',
      '--migration-share-year', '2023',
      '--migration-share-note', 'Test city: estimate.',
    ],
    { env: environment, encoding: 'utf8' },
  );
}

/**
 * Starts a new member's own service on the port its registry entry names, where the running gateway looks for it
 * (it was started without a `SUBGRAPH_URL_<ID>` for this city), with the demo data set.
 */
export function startNewMemberCity(federation: TestFederation, id: string, port: number): Promise<ServiceProcess> {
  return federation.startExtraCity(id, { PORT: String(port), DEMO_DATA: 'true' });
}
