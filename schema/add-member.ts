import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NotSuperuserError, provisionServices, urlLines } from '../services/tools/cli/db-provision';
import { projectRoot } from '../services/common/project-root';
import { parseRegistry, registryPath, type Member } from '../services/common/registry';
import { compose } from './compose';

const USAGE = `Adds a member city to the registry (the running hub routes to it within seconds: docs/routing.md) and
regenerates docker-compose.yml; the schema does not change.

  npm run add-member -- --id bottrop --name Bottrop --since 2015-01-01 --since-source "..." \\
    --population 117143 --population-year 2023 --population-source "IT.NRW" \\
    --migration-share 0.31 --migration-share-year 2022 --migration-share-source "..."

The population figures start the city's yearly series (populationSeries, populationShares in the registry); add
further years to those lists in the registry file, each with its source or note. A parity target for a year uses the
latest share not after it, else the earliest (docs/methods.md).

Options (a figure without a source is an estimate and needs a note saying how it was estimated):
  --id ID                      lower-case id, the key the hub routes by (required)
  --name NAME                  official name (required)
  --port PORT                  port of its service (default: the next after the highest in use)
  --endpoint URL               where it is reached when not on that port here: its service elsewhere, or the
                               router of a regional hub in front of it
  --since DATE                 date it joined, YYYY-MM-DD, or YYYY when only the year is known (required)
  --since-source TEXT | --since-note TEXT
  --population N --population-year YYYY (required)
  --population-source TEXT | --population-note TEXT
  --migration-share SHARE --migration-share-year YYYY (required; 0 to 1)
  --migration-share-definition MIGRATION_BACKGROUND | IMMIGRATION_HISTORY (default MIGRATION_BACKGROUND)
  --migration-share-source TEXT | --migration-share-note TEXT
  --target parity | SHARE      staff target: population parity (default) or a fixed share
  --target-source TEXT         where a fixed target is stated (required with a fixed share)
  --nationality-only           the city records foreign nationality only, not migration history
  --members FILE               registry to edit (default: schema/members.json)
  --root DIR                   checkout whose generated files to update (default: this one)
  --database-url URL           a superuser's URL of the hub's database, to make the city's database roles there
                               (default: DATABASE_URL; without a superuser's URL it prints the command that does)`;

function sourced(source: string | undefined, note: string | undefined) {
  return source ? { provenance: 'OFFICIAL' as const, source, ...(note ? { note } : {}) } : { provenance: 'ESTIMATE' as const, ...(note ? { note } : {}) };
}

export interface AddedMember {
  code: number;
  /** The new member's id, once the registry and the generated files have it. */
  id?: string;
  databaseUrl?: string;
}

export function addMember(argv: string[]): AddedMember {
  const { values } = parseArgs({
    args: argv,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      endpoint: { type: 'string' },
      port: { type: 'string' },
      since: { type: 'string' },
      'since-source': { type: 'string' },
      'since-note': { type: 'string' },
      population: { type: 'string' },
      'population-year': { type: 'string' },
      'population-source': { type: 'string' },
      'population-note': { type: 'string' },
      'migration-share': { type: 'string' },
      'migration-share-year': { type: 'string' },
      'migration-share-definition': { type: 'string', default: 'MIGRATION_BACKGROUND' },
      'migration-share-source': { type: 'string' },
      'migration-share-note': { type: 'string' },
      target: { type: 'string', default: 'parity' },
      'target-source': { type: 'string' },
      'nationality-only': { type: 'boolean', default: false },
      members: { type: 'string', default: registryPath() },
      root: { type: 'string', default: projectRoot() },
      'database-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return { code: 0 };
  }
  const missing = ['id', 'name', 'since', 'population', 'population-year', 'migration-share', 'migration-share-year'].filter(
    (option) => values[option as keyof typeof values] === undefined,
  );
  if (missing.length > 0) {
    process.stderr.write(`add-member: missing ${missing.map((option) => `--${option}`).join(', ')}\n\n${USAGE}\n`);
    return { code: 2 };
  }

  const registryJson = JSON.parse(readFileSync(values.members, 'utf8')) as { forum: { port: number }; members: unknown[] };
  const current = parseRegistry(registryJson, values.members);
  const yearOnly = /^\d{4}$/.test(values.since!);
  const ports = [current.forum.port, ...current.members.map((member) => member.port)];
  const member = {
    id: values.id!,
    name: values.name!,
    port: values.port ? Number(values.port) : Math.max(...ports) + 1,
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    membership: {
      since: yearOnly ? `${values.since}-01-01` : values.since!,
      precision: yearOnly ? 'YEAR' : 'DAY',
      ...sourced(values['since-source'], values['since-note']),
    },
    populationSeries: [
      {
        count: Number(values.population),
        year: Number(values['population-year']),
        ...sourced(values['population-source'], values['population-note']),
      },
    ],
    populationShares: [
      {
        share: Number(values['migration-share']),
        year: Number(values['migration-share-year']),
        definition: values['migration-share-definition'],
        ...sourced(values['migration-share-source'], values['migration-share-note']),
      },
    ],
    staffTarget:
      values.target === 'parity'
        ? { kind: 'POPULATION_PARITY' }
        : { kind: 'FIXED', share: Number(values.target), source: values['target-source'] },
    records: { migrationHistory: !values['nationality-only'], foreignNationality: true },
  } as unknown as Member;

  // The registry's own validation decides: the same rules as at every service's start-up.
  const updated = parseRegistry({ ...registryJson, members: [...registryJson.members, member] }, `${values.members} with ${member.id}`);
  const ordered = { ...registryJson, members: updated.members.map((entry) => registryJson.members.find((raw) => (raw as { id: string }).id === entry.id) ?? member) };
  writeFileSync(values.members, `${JSON.stringify(ordered, null, 2)}\n`);
  process.stdout.write(`added ${member.name} (${member.id}, port ${member.port}) to ${values.members}\n`);
  const code = compose(['--members', values.members, '--root', values.root]);
  return { code, id: member.id, databaseUrl: values['database-url'] ?? process.env.DATABASE_URL };
}

/**
 * The new city's database roles (docs/security.md#database-roles): made here with a superuser's URL; otherwise the
 * command that makes them, for whoever holds one. A city whose service gets a superuser's URL makes them itself.
 */
export async function provisionNewMember(id: string, databaseUrl: string | undefined): Promise<number> {
  const command = `npm run db:provision -- --service ${id}`;
  const later = `Make its database roles with a superuser's DATABASE_URL:\n  ${command}\nor print the SQL for a DBA: ${command} --print --database <name>\n`;
  if (databaseUrl === undefined) {
    process.stdout.write(later);
    return 0;
  }
  try {
    const provisioned = await provisionServices(databaseUrl, [id]);
    process.stdout.write(
      `made the database roles of ${id} (${provisioned[0]!.roles.owner}, ${provisioned[0]!.roles.runtime}); give its service these URLs:\n` +
        `${urlLines(provisioned, databaseUrl).map((line) => `  ${line}`).join('\n')}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof NotSuperuserError) {
      process.stdout.write(`DATABASE_URL is not a superuser's (${error.message}). ${later}`);
      return 0;
    }
    process.stderr.write(`add-member: the database roles of ${id} were not made (${(error as Error).message}). ${later}`);
    return 1;
  }
}

if (require.main === module) {
  (async () => {
    const added = addMember(process.argv.slice(2));
    return added.code === 0 && added.id !== undefined ? provisionNewMember(added.id, added.databaseUrl) : added.code;
  })().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`add-member: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
