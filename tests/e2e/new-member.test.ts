/**
 * A ninth member city is one command (`npm run add-member`) and no code change: the same compiled services serve
 * it, the schema stays as it was, and the forum counts it from the year it joined. (Added to a running hub:
 * tests/e2e/run-time-membership.test.ts.)
 * Schema under test: the supergraph the test composes with the test city, which is the checked-in one.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestFederation, contractOperation } from '../support/federation';
import { ROOT, distScript } from '../support/processes';

let workdir: string;
let federation: TestFederation;
let addMemberOutput: string;

beforeAll(async () => {
  workdir = mkdtempSync(path.join(tmpdir(), 'ifh-new-member-'));
  const members = path.join(workdir, 'members.json');
  copyFileSync(path.join(ROOT, 'schema', 'members.json'), members);
  // Without a database to make its roles in (tests/e2e/database-roles.test.ts gives it one): it says how to.
  const { DATABASE_URL: _none, ...environment } = process.env;
  addMemberOutput = execFileSync(process.execPath, [
    distScript('schema', 'add-member.js'),
    '--members', members,
    '--root', workdir,
    '--id', 'bottrop',
    '--name', 'Bottrop',
    '--since', '2015',
    '--since-source', 'Forum: guest from 2013, member from 2015',
    '--population', '117000',
    '--population-year', '2023',
    '--population-note', 'Test city: rounded estimate.',
    '--migration-share', '0.28',
    '--migration-share-year', '2023',
    '--migration-share-note', 'Test city: estimate.',
  ], { env: environment, encoding: 'utf8' });
  // A test city with its own, shorter unit list: the query cost must not depend on it.
  const registry = JSON.parse(readFileSync(members, 'utf8'));
  registry.members.find((member: { id: string }) => member.id === 'bottrop').units = [
    { id: 'jobcenter', name: 'Jobcenter', nameEn: 'Jobcenter', jobcenter: true },
    { id: 'rathaus', name: 'Rathaus', nameEn: 'Town hall' },
  ];
  writeFileSync(members, JSON.stringify(registry, null, 2));

  federation = await TestFederation.start({
    membersFile: members,
    supergraphFile: path.join(workdir, 'schema', 'supergraph.graphql'),
  });
}, 180_000);

afterAll(async () => {
  await federation?.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

it('says how to make the new city\'s database roles', () => {
  expect(addMemberOutput).toContain('npm run db:provision -- --service bottrop');
});

it('leaves the schema as it was, and writes a docker-compose service for the new city', () => {
  // Members are not in the schema: the hub routes to them by id (docs/routing.md).
  expect(readFileSync(path.join(workdir, 'schema', 'supergraph.graphql'), 'utf8')).toBe(readFileSync(path.join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'));
  expect(existsSync(path.join(workdir, 'schema', 'subgraphs', 'bottrop.graphql'))).toBe(false);
  expect(readFileSync(path.join(workdir, 'docker-compose.yml'), 'utf8')).toContain('city-bottrop:');
});

it('lists nine members, the new one with its figures', async () => {
  const forum = await federation.query(contractOperation('forum-progress'), { year: 2024 });
  expect(forum.body.errors).toBeUndefined();
  expect(forum.body.data!.forum.members.map((member: { id: string }) => member.id)).toContain('bottrop');
  expect(forum.body.data!.forum.members).toHaveLength(9);
  expect(forum.body.data!.forum.staffProgress.citiesReporting.map((city: { id: string }) => city.id)).toContain('bottrop');

  const comparison = await federation.query(contractOperation('city-comparison'), { year: 2024 });
  expect(comparison.body.errors).toBeUndefined();
  const bottrop = comparison.body.data!.forum.members.find((member: { id: string }) => member.id === 'bottrop');
  expect(bottrop.name).toBe('Bottrop');
  expect(bottrop.staff).toMatchObject({ year: 2024, target: { kind: 'POPULATION_PARITY', share: 0.28 }, provenance: { kind: 'ESTIMATE' } });
  expect(bottrop.interculturalTraining.map((unit: { unit: string }) => unit.unit)).toEqual(['jobcenter', 'rathaus']);
});

it('counts the new member only from the year it joined', async () => {
  const before = await federation.query(contractOperation('forum-progress'), { year: 2014 });
  const progress = before.body.data!.forum.staffProgress;
  const ids = [...progress.citiesReporting, ...progress.citiesMissing].map((city: { id: string }) => city.id);
  expect(ids).not.toContain('bottrop');
});

it('answers CityComparison with as many SQL statements as any other city, with fewer units', async () => {
  await federation.query(contractOperation('city-comparison'), { year: 2024 });
  const before = await Promise.all(['bottrop', 'duisburg'].map((city) => federation.sqlStatements(city)));
  await federation.query(contractOperation('city-comparison'), { year: 2024 });
  const after = await Promise.all(['bottrop', 'duisburg'].map((city) => federation.sqlStatements(city)));
  expect(after[0]! - before[0]!).toBe(after[1]! - before[1]!);
});
