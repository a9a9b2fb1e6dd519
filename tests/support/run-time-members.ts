import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { TestFederation, type FederationOptions } from './federation';
import { freePort } from './identity-provider';
import { distScript, type ServiceProcess } from './processes';

/**
 * A federation whose cities can reach the forum: the forum on a port chosen here (the other services on free ones),
 * and every city told it (`SUBGRAPH_URL_FORUM`), so that they ask it for their effective membership
 * (services/city/membership.ts). TestFederation starts the forum and the cities at once on free ports, where no city
 * would know the forum's address.
 */
export async function startFederationWithForumAddress(membersFile: string, options: FederationOptions = {}): Promise<TestFederation> {
  const forumPort = await freePort();
  const registry = JSON.parse(readFileSync(membersFile, 'utf8')) as { members: Array<{ id: string }> };
  return TestFederation.start({
    ...options,
    membersFile,
    // Every subgraph gets these; the cities' own PORT below puts them back on free ports.
    subgraphEnv: { ...options.subgraphEnv, PORT: String(forumPort), SUBGRAPH_URL_FORUM: `http://127.0.0.1:${forumPort}/graphql` },
    cityEnv: Object.fromEntries(registry.members.map((member) => [member.id, { PORT: '0' }])),
  });
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
