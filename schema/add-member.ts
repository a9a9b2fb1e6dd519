import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { projectRoot } from '../services/common/project-root';
import { parseRegistry, registryPath, type Member } from '../services/common/registry';
import { compose } from './compose';

const USAGE = `Adds a member city to the registry and regenerates the schema and docker-compose.yml.

  npm run add-member -- --id bottrop --name Bottrop --since 2015-01-01 --since-source "..." \\
    --population 117143 --population-year 2023 --population-source "IT.NRW" \\
    --migration-share 0.31 --migration-share-year 2022 --migration-share-source "..."

The population figures start the city's yearly series (populationSeries, populationShares in the registry); add
further years to those lists in the registry file, each with its source or note. A parity target for a year uses the
latest share not after it, else the earliest (docs/methods.md).

Options (a figure without a source is an estimate and needs a note saying how it was estimated):
  --id ID                      lower-case id; names the subgraph (required)
  --name NAME                  official name (required)
  --type-name NAME             GraphQL type name (default: from the name, e.g. MuelheimAnDerRuhr)
  --port PORT                  port of its subgraph (default: the next after the highest in use)
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
  --root DIR                   checkout whose generated files to update (default: this one)`;

/** "Mülheim an der Ruhr" -> "MuelheimAnDerRuhr". */
export function typeNameOf(name: string): string {
  return name
    .replaceAll('ä', 'ae').replaceAll('ö', 'oe').replaceAll('ü', 'ue').replaceAll('Ä', 'Ae').replaceAll('Ö', 'Oe').replaceAll('Ü', 'Ue').replaceAll('ß', 'ss')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

function sourced(source: string | undefined, note: string | undefined) {
  return source ? { provenance: 'OFFICIAL' as const, source, ...(note ? { note } : {}) } : { provenance: 'ESTIMATE' as const, ...(note ? { note } : {}) };
}

export function addMember(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      'type-name': { type: 'string' },
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
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const missing = ['id', 'name', 'since', 'population', 'population-year', 'migration-share', 'migration-share-year'].filter(
    (option) => values[option as keyof typeof values] === undefined,
  );
  if (missing.length > 0) {
    process.stderr.write(`add-member: missing ${missing.map((option) => `--${option}`).join(', ')}\n\n${USAGE}\n`);
    return 2;
  }

  const registryJson = JSON.parse(readFileSync(values.members, 'utf8')) as { forum: { port: number }; members: unknown[] };
  const current = parseRegistry(registryJson, values.members);
  const yearOnly = /^\d{4}$/.test(values.since!);
  const ports = [current.forum.port, ...current.members.map((member) => member.port)];
  const member = {
    id: values.id!,
    name: values.name!,
    typeName: values['type-name'] ?? typeNameOf(values.name!),
    port: values.port ? Number(values.port) : Math.max(...ports) + 1,
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
  process.stdout.write(`added ${member.name} (${member.id}, type ${member.typeName}, port ${member.port}) to ${values.members}\n`);
  return compose(['--members', values.members, '--root', values.root]);
}

if (require.main === module) {
  try {
    process.exitCode = addMember(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`add-member: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
