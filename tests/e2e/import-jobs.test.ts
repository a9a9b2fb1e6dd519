/**
 * CSV imports as jobs (docs/submissions.md#import): accepted at once, progress and report queryable, all rows or
 * none, a retry with the same key the same job, only the city's HR team may start or read one, and a read after the
 * job committed fresh with the response cache on, a job cut off by a restart of the city FAILED with nothing written: without Redis (the gateway follows the jobs it forwarded) and
 * with two gateway replicas sharing Redis (the city advances the shared generation itself).
 * Schema under test: schema/supergraph.graphql; Duisburg given 50 organisational units in a copy of the registry, so
 * that one file can hold over 1,000 distinct rows; Duisburg and the two replicas on Redis at TEST_REDIS_URL, under a
 * key prefix of this run's own, deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { TestFederation } from '../support/federation';
import { BIG_FILE_YEARS, CURRENT_YEAR, IMPORT_HEADER, IMPORT_UNITS, bigImportFile, figureCounts } from '../support/import-files';
import { ROOT, type ServiceProcess } from '../support/processes';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `ifh-test-${randomUUID()}:`;
const redis = new Redis(REDIS_URL, { lazyConnect: true });


let workdir: string;
let federation: TestFederation;
let replicaA: ServiceProcess;
let replicaB: ServiceProcess;
let hr: string;
let member: string;

beforeAll(async () => {
  await redis.connect();
  workdir = mkdtempSync(path.join(tmpdir(), 'ifh-import-jobs-'));
  const registry = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'members.json'), 'utf8'));
  registry.members.find((entry: { id: string }) => entry.id === 'duisburg').units = IMPORT_UNITS;
  const membersFile = path.join(workdir, 'members.json');
  writeFileSync(membersFile, JSON.stringify(registry));
  federation = await TestFederation.start({
    membersFile,
    // Duisburg shares the replicas' Redis, where it advances the cache generation when a job commits; a job cut off
    // by a restart reads FAILED after 6 s of silence instead of the shipped 60 s, so that the test need not wait a minute.
    cityEnv: { duisburg: { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, IMPORT_JOB_SILENCE_MS: '6000' } },
  });
  const replica = () => federation.startExtraGateway({ REDIS_URL, REDIS_KEY_PREFIX: keyPrefix });
  [replicaA, replicaB] = await Promise.all([replica(), replica()]);
  hr = federation.token({ sub: 'hr-duisburg', name: 'Petra Personal', roles: ['hr'], city: 'duisburg' });
  member = federation.token({ sub: 'analyst', roles: ['member'] });
}, 180_000);

afterAll(async () => {
  await Promise.all([replicaA?.stop(), replicaB?.stop()]);
  await federation?.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const JOB_FIELDS = `id status rowsTotal rowsChecked revisionsTotal revisionsWritten startedAt finishedAt replayed
  report { accepted rowsRead revisionsWritten replayed problems { row column field code messages { de en } } }`;
const START = `mutation ($csv: String!, $reason: String, $key: String) {
  duisburg: municipality(id: "duisburg") { startFigureImport(csv: $csv, reason: $reason, idempotencyKey: $key) { ${JOB_FIELDS} } }
}`;
const JOB = `query ($id: ID!) { municipality(id: "duisburg") { figureImportJob(id: $id) { ${JOB_FIELDS} } } }`;

interface Job {
  id: string;
  status: string;
  rowsTotal: number;
  rowsChecked: number;
  revisionsTotal: number | null;
  revisionsWritten: number;
  finishedAt: string | null;
  replayed: boolean;
  report: { accepted: boolean; rowsRead: number; revisionsWritten: number; replayed: boolean; problems: Array<Record<string, any>> } | null;
}

async function start(csv: string, options: { token?: string; key?: string; url?: string } = {}) {
  // An explicit `token: undefined` asks without a token.
  const token = 'token' in options ? options.token : hr;
  const response = await federation.query(START, { csv, key: options.key ?? null }, { token, url: options.url });
  return { response, job: response.body.data?.duisburg?.startFigureImport as Job | undefined };
}

async function readJob(id: string, token = hr) {
  const response = await federation.query(JOB, { id }, { token });
  return { response, job: response.body.data?.municipality?.figureImportJob as Job | null | undefined };
}

/** Asks for the job through the gateway until it ended; every answer seen, in order. */
async function followToEnd(id: string): Promise<Job[]> {
  const seen: Job[] = [];
  for (;;) {
    const { job } = await readJob(id);
    seen.push(job!);
    if (['SUCCEEDED', 'REFUSED', 'FAILED'].includes(job!.status)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for the job's end in the city's table, asking no gateway: so no gateway hears of it from a status read. */
async function endedInTheDatabase(id: string): Promise<string> {
  for (;;) {
    const [row] = await federation.database.query<{ status: string }>('SELECT status FROM city_duisburg.figure_import_job WHERE id = $1', [id]);
    if (row && ['SUCCEEDED', 'REFUSED', 'FAILED'].includes(row.status)) return row.status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('writes nothing from a file with one bad row, and its report names that row', async () => {
  const before = await figureCounts(federation.database);
  const { csv, badRow } = bigImportFile(700);
  const { job } = await start(csv);
  const done = (await followToEnd(job!.id)).at(-1)!;
  expect(done.status).toBe('REFUSED');
  expect(done.revisionsWritten).toBe(0);
  expect(done.report).toMatchObject({ accepted: false, revisionsWritten: 0 });
  expect(done.report!.problems).toEqual([expect.objectContaining({ row: badRow, column: 'geschult', field: 'completed', code: 'BAD_USER_INPUT' })]);
  expect(await figureCounts(federation.database)).toEqual(before);
});

it('reads a job cut off by a restart of the city as FAILED, with nothing of it written', async () => {
  const before = await figureCounts(federation.database);
  // The test holds up the job's inserts (reads go on), so that the city is surely killed while it writes.
  const blocker = new Client({ connectionString: federation.database.url });
  await blocker.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE city_duisburg.training_figures IN EXCLUSIVE MODE');
    const { job } = await start(bigImportFile().csv);
    for (;;) {
      const [row] = await federation.database.query<{ status: string }>('SELECT status FROM city_duisburg.figure_import_job WHERE id = $1', [job!.id]);
      if (row?.status === 'WRITING') break;
      expect(row?.status).toBe('CHECKING');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await federation.subgraphs.get('duisburg')!.stop('SIGKILL');
    await blocker.query('ROLLBACK');
    await federation.restartCity('duisburg');

    let ended: Job | null | undefined;
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ended = (await readJob(job!.id)).job;
    } while (!ended || ended.status === 'CHECKING' || ended.status === 'WRITING');
    expect(ended).toMatchObject({ status: 'FAILED', report: null });
    expect(ended.finishedAt).not.toBeNull();
    expect(await figureCounts(federation.database)).toEqual(before);
  } finally {
    await blocker.end();
  }
}, 120_000);

it('accepts a file of over 1,000 rows at once, reports its progress, and ends with every row written', async () => {
  const { csv, rows, revisions } = bigImportFile();
  expect(rows).toBeGreaterThan(1000);
  const before = await figureCounts(federation.database);
  const { response, job } = await start(csv);
  expect(response.body.errors).toBeUndefined();
  expect(job).toMatchObject({ status: 'CHECKING', rowsTotal: rows, rowsChecked: 0, revisionsWritten: 0, finishedAt: null, report: null, replayed: false });

  const seen = await followToEnd(job!.id);
  const statuses = [...new Set(seen.map((answer) => answer.status))];
  expect(statuses.at(-1)).toBe('SUCCEEDED');
  // Progress only moves forward, through the phases in order.
  expect(['CHECKING', 'WRITING', 'SUCCEEDED'].filter((status) => statuses.includes(status))).toEqual(statuses);
  const checked = seen.map((answer) => answer.rowsChecked);
  expect(checked).toEqual([...checked].sort((a, b) => a - b));
  const done = seen.at(-1)!;
  expect(done).toMatchObject({
    rowsChecked: rows,
    revisionsTotal: revisions,
    revisionsWritten: revisions,
    report: { accepted: true, rowsRead: rows, revisionsWritten: revisions, problems: [] },
  });
  expect(done.finishedAt).not.toBeNull();
  const after = await figureCounts(federation.database);
  expect(after.training_figures - before.training_figures).toBe(BIG_FILE_YEARS.length * IMPORT_UNITS.length);
  expect(after.staff_unit_figures - before.staff_unit_figures).toBe(BIG_FILE_YEARS.length * 12);
});

it('answers a retry with the same key with the same job, and writes its rows once', async () => {
  const csv = `Art;Jahr;Anzahl;mit Zuwanderungsgeschichte\nAuszubildende;${CURRENT_YEAR};149;51\n`;
  const first = await start(csv, { key: 'job-retry' });
  await followToEnd(first.job!.id);
  const before = await figureCounts(federation.database);
  const retry = await start(csv, { key: 'job-retry' });
  expect(retry.job).toMatchObject({ id: first.job!.id, status: 'SUCCEEDED', replayed: true, report: { accepted: true, replayed: true, revisionsWritten: 1 } });
  expect(await figureCounts(federation.database)).toEqual(before);
  const [{ n }] = (await federation.database.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM city_duisburg.trainee_figures WHERE year = $1',
    [CURRENT_YEAR],
  )) as [{ n: number }];
  expect(n).toBe(1);

  const other = await start(`Art;Jahr;Anzahl;mit Zuwanderungsgeschichte\nAuszubildende;${CURRENT_YEAR};150;51\n`, { key: 'job-retry' });
  expect(other.response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
});

it("lets nobody but the city's HR team start a job or read one", async () => {
  const { job } = await start(`${IMPORT_HEADER}\nSchulung;${CURRENT_YEAR};bezirk-1;;;;10;5;;\n`);
  await followToEnd(job!.id);
  const bochumHr = federation.token({ roles: ['hr'], city: 'bochum' });
  for (const [token, code] of [
    [member, 'FORBIDDEN'],
    [bochumHr, 'FORBIDDEN'],
    [undefined, 'UNAUTHENTICATED'],
  ] as const) {
    const refusedStart = await start(`${IMPORT_HEADER}\nSchulung;${CURRENT_YEAR};bezirk-2;;;;10;5;;\n`, { token });
    expect(refusedStart.response.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(refusedStart.job).toBeUndefined();
    const refusedRead = await federation.query(JOB, { id: job!.id }, { token });
    expect(refusedRead.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(refusedRead.body.data?.municipality?.figureImportJob ?? null).toBeNull();
  }
  // An unknown id is no job at all.
  expect((await readJob(randomUUID())).job).toBeNull();
});

const NEW_HIRES = `query ($year: Int!) { municipality(id: "duisburg") { newHires(year: $year) { total revision { number } } } }`;

/** A correction of a year's new hires as a file, to the number the year's latest revision does not have. */
async function newHiresCorrection(year: number): Promise<{ csv: string; total: number }> {
  const current = (await federation.query(NEW_HIRES, { year }, { token: member })).body.data!.municipality.newHires;
  const total = (current?.total ?? 100) + 11;
  const corrects = current?.revision.number ?? '';
  return { csv: `Art;Jahr;Anzahl;mit Zuwanderungsgeschichte;korrigierte Revision;Begründung\nNeueinstellungen;${year};${total};10;${corrects};Nachtrag\n`, total };
}

/**
 * The new total is read through `url` within a few seconds of the commit, long before the answer cached before the
 * job would expire (30 s): only a new generation of the cache can have brought it. Not at once: the generation moves a
 * moment after the commit (the city's INCR, or the answer the gateway's follower gets), and the database is seen first.
 */
async function expectFreshSoon(url: string, year: number, total: number): Promise<void> {
  let seen: number | undefined;
  for (let attempt = 0; attempt < 20 && seen !== total; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    seen = (await federation.query(NEW_HIRES, { year }, { token: member, url })).body.data!.municipality.newHires?.total;
  }
  expect(seen).toBe(total);
}

it('serves a read after the job committed fresh from a gateway with its own cache, though nobody asked for the job', async () => {
  const year = 2014;
  const { csv, total } = await newHiresCorrection(year);
  const cachedBefore = (await federation.query(NEW_HIRES, { year }, { token: member })).body.data!.municipality.newHires;
  expect(cachedBefore?.total).not.toBe(total);

  const { job } = await start(csv);
  expect(await endedInTheDatabase(job!.id)).toBe('SUCCEEDED');
  await expectFreshSoon(federation.gatewayUrl, year, total);
});

it('serves a read after the job committed fresh from gateway replicas sharing Redis: the city advances their generation', async () => {
  const year = 2016;
  const { csv, total } = await newHiresCorrection(year);
  // Cached in the replicas' shared cache.
  const cachedBefore = await federation.query(NEW_HIRES, { year }, { token: member, url: replicaB.url });
  expect(cachedBefore.body.data!.municipality.newHires?.total).not.toBe(total);

  // Started through the federation's own gateway: neither replica forwarded it, so neither follows it.
  const { job } = await start(csv);
  expect(await endedInTheDatabase(job!.id)).toBe('SUCCEEDED');
  for (const replica of [replicaA, replicaB]) await expectFreshSoon(replica.url, year, total);
});
