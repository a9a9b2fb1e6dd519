/**
 * A ninth member city is one command (`npm run add-member`, which also recomposes) and no code change: the same
 * compiled services serve it, and the forum counts it from the year it joined.
 * Schema under test: a supergraph composed by the test from the registry plus a test city.
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

it("writes the new subgraph, the supergraph, a docker-compose service and Apollo Router's address for it", () => {
  expect(existsSync(path.join(workdir, 'schema', 'subgraphs', 'bottrop.graphql'))).toBe(true);
  expect(readFileSync(path.join(workdir, 'schema', 'supergraph.graphql'), 'utf8')).toContain('type Bottrop implements Municipality');
  expect(readFileSync(path.join(workdir, 'docker-compose.yml'), 'utf8')).toContain('city-bottrop:');
  expect(readFileSync(path.join(workdir, 'schema', 'router.yaml'), 'utf8')).toMatch(/bottrop: \$\{env\.SUBGRAPH_URL_BOTTROP:-https:\/\/city-bottrop:\d+\/graphql\}/);
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
