/**
 * HR submissions while the city's database keeps failing (refusing connections, then silent) and the city's process
 * is killed and started again: each submission is either committed or refused with an error, never half-written.
 * Answers lost in the faults are retried with the same idempotency key once the faults are over, as a client
 * would. Afterwards the database must hold every accepted submission exactly once, with its values and its unit
 * rows, and nothing of any other; revision numbers run without gaps; the audit log accepted each exactly once.
 * Schema under test: schema/supergraph.graphql (`mutation { municipality(id: "duisburg") { ... } }`), the city's tables in
 * services/city/migrations; the city's database connections through a TCP proxy the test controls.
 */
import { randomBytes } from 'node:crypto';
import { ADMIN_DATABASE_URL } from '../support/database';
import { eventually } from '../support/contract-under-faults';
import { TestFederation, type GraphQLResponse } from '../support/federation';
import type { ServiceProcess } from '../support/processes';
import { TcpProxy, databaseUrlVia } from '../support/tcp-proxy';

const CITY = 'duisburg';
const SCHEMA = `city_${CITY}`;
const AUTHOR = 'Fault Tester';
/** Well past the gateway's time limit (3 s): a client that waits longer has lost the answer, not the submission. */
const CLIENT_PATIENCE_MS = 6_000;
const DATABASE_TIMEOUT_MS = 3_000;

let federation: TestFederation;
let databaseProxy: TcpProxy;
let hr: string;

beforeAll(async () => {
  const postgres = new URL(ADMIN_DATABASE_URL);
  databaseProxy = await TcpProxy.start({ host: postgres.hostname, port: Number(postgres.port || 5432) });
  federation = await TestFederation.start({
    cityEnv: {
      [CITY]: (databaseUrl) => ({
        DATABASE_URL: databaseUrlVia(databaseUrl, databaseProxy.address),
        DATABASE_CONNECT_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS),
        DATABASE_QUERY_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS),
      }),
    },
  });
  hr = federation.token({ sub: 'hr-fault-tester', name: AUTHOR, roles: ['hr'], city: CITY });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
  await databaseProxy?.stop();
});

type Kind = 'staff' | 'traineeIntake' | 'training';

interface Submission {
  kind: Kind;
  input: Record<string, any> & { year: number; idempotencyKey: string };
}

const MUTATION: Record<Kind, string> = {
  staff: `mutation ($input: StaffFiguresInput!) { ${CITY}: municipality(id: "${CITY}") { submitStaffFigures(input: $input) { replayed figures: staff { year revision { number } } } } }`,
  traineeIntake: `mutation ($input: TraineeIntakeInput!) { ${CITY}: municipality(id: "${CITY}") { submitTraineeIntake(input: $input) { replayed figures: trainees { year revision { number } } } } }`,
  training: `mutation ($input: TrainingInput!) { ${CITY}: municipality(id: "${CITY}") { submitTraining(input: $input) { replayed figures: training { year unit revision { number } } } } }`,
};
const FIELD: Record<Kind, string> = { staff: 'submitStaffFigures', traineeIntake: 'submitTraineeIntake', training: 'submitTraining' };
const TABLE: Record<Kind, string> = { staff: 'staff_figures', traineeIntake: 'trainee_figures', training: 'training_figures' };

/** Codes that mean "not written, and it will not be": the client must change something before sending again. */
const REFUSAL_CODES = new Set(['BAD_USER_INPUT', 'CONFLICT']);

type Outcome =
  | { kind: 'accepted'; revision: number; replayed: boolean }
  | { kind: 'refused'; codes: string[] }
  /** No answer, or one that cannot say whether the submission was written (the city or its database failed). */
  | { kind: 'unknown'; why: string };

const run = randomBytes(3).toString('hex');
/** Why the gateway last said the city was unavailable. */
let lastUnavailableReason: string | undefined;
/** What the gateway said became of the write in that error: `UNKNOWN` where the request may have arrived. */
let lastWriteOutcome: string | undefined;

/**
 * Distinct figures for each submission, so that every stored row can be traced to the submission it came from:
 * corrections of every demo year, first submissions of years without figures, two corrections competing for the
 * same revision in four years (one of each pair must be refused), and two that break a rule.
 */
function plannedSubmissions(): Submission[] {
  const key = (label: string) => `faults-${run}-${label}`;
  const staff = (year: number, variant: number): Submission => ({
    kind: 'staff',
    input: {
      year,
      headcount: 9_000 + year - 2000 + variant * 100,
      respondents: 5_000 + year - 2000,
      withMigrationHistory: 1_000 + year - 2000 + variant,
      correctsRevision: 1,
      reason: `Nachmeldung ${year}/${variant}`,
      units: [
        { unit: 'jobcenter', headcount: 700 + year - 2000, respondents: 400, withMigrationHistory: 100 + variant },
        { unit: 'feuerwehr', headcount: 300 + variant, respondents: 200, withMigrationHistory: 20 },
      ],
      idempotencyKey: key(`staff-${year}-${variant}`),
    },
  });
  const submissions: Submission[] = [];
  for (let year = 2011; year <= 2024; year += 1) submissions.push(staff(year, 0));
  for (let year = 2021; year <= 2024; year += 1) submissions.push(staff(year, 1));
  for (let year = 2011; year <= 2020; year += 1) {
    submissions.push({
      kind: 'traineeIntake',
      input: { year, intake: 100 + year - 2000, withMigrationHistory: 30 + year - 2000, correctsRevision: 1, reason: `Azubis ${year}`, idempotencyKey: key(`trainees-${year}`) },
    });
  }
  for (const year of [2025, 2026]) {
    submissions.push({ kind: 'traineeIntake', input: { year, intake: 140 + year - 2000, withMigrationHistory: 50, idempotencyKey: key(`trainees-${year}`) } });
  }
  const units = ['jobcenter', 'buergerdienste', 'jugendamt', 'sozialamt', 'ordnungsamt', 'feuerwehr', 'kommunales-integrationszentrum', 'zentrale-verwaltung'];
  for (const year of [2025, 2026]) {
    units.forEach((unit, index) =>
      submissions.push({
        kind: 'training',
        input: { year, unit, staffInScope: 50 + index + year - 2000, completed: 20 + index, idempotencyKey: key(`training-${year}-${unit}`) },
      }),
    );
  }
  for (const year of [2025, 2026]) {
    submissions.push({
      kind: 'staff',
      input: { year, headcount: 100, respondents: 101, withMigrationHistory: 1, idempotencyKey: key(`staff-invalid-${year}`) },
    });
  }
  return submissions;
}

async function send(submission: Submission, { url = federation.gatewayUrl, token = hr } = {}): Promise<Outcome> {
  let response: GraphQLResponse;
  try {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: MUTATION[submission.kind], variables: { input: submission.input } }),
      signal: AbortSignal.timeout(CLIENT_PATIENCE_MS),
    });
    response = { status: answer.status, body: (await answer.json()) as GraphQLResponse['body'] };
  } catch (error) {
    return { kind: 'unknown', why: (error as Error).message };
  }
  const result = response.body.data?.[CITY]?.[FIELD[submission.kind]] as { replayed: boolean; figures: { revision: { number: number } } } | undefined;
  if (result) return { kind: 'accepted', revision: result.figures.revision.number, replayed: result.replayed };
  const codes = (response.body.errors ?? []).map((error) => String(error.extensions?.code));
  if (codes.length > 0 && codes.every((code) => REFUSAL_CODES.has(code))) return { kind: 'refused', codes };
  const errors = (response.body.errors ?? []).map((error) => `${error.extensions?.code} ${error.extensions?.city ?? ''}`.trim());
  const unavailable = response.body.errors?.find((error) => error.extensions?.code === 'CITY_UNAVAILABLE');
  lastUnavailableReason = unavailable?.extensions?.reason;
  lastWriteOutcome = unavailable?.extensions?.writeOutcome;
  return { kind: 'unknown', why: `HTTP ${response.status}: ${errors.join(', ') || 'no errors and no data'}` };
}

/** Runs `task` over `items` with at most `parallel` at a time. */
async function inParallel<Item, Result>(items: readonly Item[], parallel: number, task: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let index = next++; index < items.length; index = next++) results[index] = await task(items[index]!);
    }),
  );
  return results;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The database fails in turns while `until` is pending: refuses connections, answers, goes silent, answers. */
async function flapDatabase(until: Promise<unknown>): Promise<void> {
  let over = false;
  void until.finally(() => (over = true));
  const faults: Array<[() => void, number]> = [
    [() => databaseProxy.refuse(), 300],
    [() => databaseProxy.forward(), 500],
    [() => databaseProxy.blackhole(), 900],
    [() => databaseProxy.forward(), 500],
  ];
  for (let step = 0; !over; step += 1) {
    const [fault, duration] = faults[step % faults.length]!;
    fault();
    await pause(duration);
  }
  databaseProxy.forward();
}

describe(`submissions to ${CITY} while its database fails and its process is killed`, () => {
  const submissions = plannedSubmissions();
  const outcomes = new Map<string, Outcome>();
  const firstOutcomes = new Map<string, Outcome>();

  it('answers each submission, during the faults, with its figures, a refusal, or an error', async () => {
    const city = federation.subgraphs.get(CITY)!;
    // Spread over several turns of the faults, as HR teams' uploads would be.
    const wave = inParallel(submissions, 6, async (submission) => {
      const outcome = await send(submission);
      firstOutcomes.set(submission.input.idempotencyKey, outcome);
      await pause(400);
      return outcome;
    });
    const flapping = flapDatabase(wave);
    // A third of the way through, the city's process dies with whatever it had open, and comes back.
    while (firstOutcomes.size < submissions.length / 3) await pause(50);
    city.child.kill('SIGKILL');
    await city.exited;
    await pause(500);
    await federation.restartCity(CITY);
    await Promise.all([wave, flapping]);

    expect(firstOutcomes.size).toBe(submissions.length);
    const unknown = [...firstOutcomes.values()].flatMap((outcome) => (outcome.kind === 'unknown' ? [outcome.why] : []));
    // The faults must have hit: otherwise this test proves nothing.
    expect(unknown.length).toBeGreaterThan(0);
    // Even then the gateway answered every one, in time, and said which city failed.
    expect(new Set(unknown)).toEqual(new Set([`HTTP 200: CITY_UNAVAILABLE ${CITY}`]));
  }, 90_000);

  it('settles every submission once the faults are over, by retrying with the same idempotency key', async () => {
    databaseProxy.forward();
    for (const submission of submissions) {
      let outcome = firstOutcomes.get(submission.input.idempotencyKey)!;
      for (let attempt = 1; outcome.kind === 'unknown'; attempt += 1) {
        if (attempt > 20) throw new Error(`${submission.input.idempotencyKey} still unsettled: ${outcome.why}`);
        await pause(attempt === 1 ? 0 : 500);
        outcome = await send(submission);
      }
      outcomes.set(submission.input.idempotencyKey, outcome);
    }
    const refused = submissions.filter((submission) => outcomes.get(submission.input.idempotencyKey)!.kind === 'refused');
    // The two invalid ones and, of each pair of competing corrections, the loser.
    expect(refused.map((submission) => submission.input.idempotencyKey).filter((key) => key.includes('invalid'))).toHaveLength(2);
    expect(refused).toHaveLength(2 + 4);
  }, 90_000);

  it('stored every accepted submission exactly once, with its values and unit rows, and nothing else', async () => {
    const accepted = submissions.filter((submission) => outcomes.get(submission.input.idempotencyKey)?.kind === 'accepted');
    expect(accepted.length).toBe(submissions.length - 6);

    for (const kind of ['staff', 'traineeIntake', 'training'] as const) {
      const stored = await federation.database.query(
        `SELECT * FROM ${SCHEMA}.${TABLE[kind]} WHERE submitted_by = $1 ORDER BY year, revision, id`,
        [AUTHOR],
      );
      const expected = accepted.filter((submission) => submission.kind === kind).map((submission) => storedForm(submission));
      expect(stored.map(comparable).sort(byJson)).toEqual(expected.sort(byJson));
    }

    const unitRows = await federation.database.query<{ year: number; revision: number; unit_id: string; headcount: number; respondents: number; with_migration_history: number }>(
      `SELECT staff.year, staff.revision, unit.unit_id, unit.headcount, unit.respondents, unit.with_migration_history
         FROM ${SCHEMA}.staff_unit_figures unit JOIN ${SCHEMA}.staff_figures staff ON staff.id = unit.staff_figures_id
        WHERE staff.submitted_by = $1`,
      [AUTHOR],
    );
    const expectedUnitRows = accepted
      .filter((submission) => submission.kind === 'staff')
      .flatMap((submission) =>
        (submission.input.units as Array<Record<string, number | string>>).map((unit) => ({
          year: submission.input.year,
          revision: (outcomes.get(submission.input.idempotencyKey) as { revision: number }).revision,
          unit_id: unit.unit,
          headcount: unit.headcount,
          respondents: unit.respondents,
          with_migration_history: unit.withMigrationHistory,
        })),
      );
    expect(unitRows.sort(byJson)).toEqual(expectedUnitRows.sort(byJson));
  });

  it('numbers the revisions of every year (and unit) 1, 2, 3... without gaps, as the answers said', async () => {
    for (const kind of ['staff', 'traineeIntake', 'training'] as const) {
      const series = await federation.database.query<{ series: string; revisions: number[] }>(
        `SELECT year || ':' || ${kind === 'training' ? 'unit_id' : "''"} AS series, array_agg(revision ORDER BY revision) AS revisions
           FROM ${SCHEMA}.${TABLE[kind]} GROUP BY 1`,
      );
      for (const { series: name, revisions } of series) expect([name, revisions]).toEqual([name, revisions.map((_, index) => index + 1)]);
    }
    for (const submission of submissions) {
      const outcome = outcomes.get(submission.input.idempotencyKey)!;
      if (outcome.kind !== 'accepted') continue;
      const expectedRevision = submission.input.correctsRevision ? submission.input.correctsRevision + 1 : 1;
      expect([submission.input.idempotencyKey, outcome.revision]).toEqual([submission.input.idempotencyKey, expectedRevision]);
    }
  });

  it('keeps one idempotency record per accepted submission, none for a refused one, and audits each acceptance once', async () => {
    const records = await federation.database.query<{ key: string; operation: string; result: { kind: string; id: number } }>(
      `SELECT key, operation, result FROM ${SCHEMA}.idempotency_record WHERE actor_subject = 'hr-fault-tester'`,
    );
    const acceptedKeys = submissions.map((submission) => submission.input.idempotencyKey).filter((key) => outcomes.get(key)!.kind === 'accepted');
    expect(records.map((record) => record.key).sort()).toEqual([...acceptedKeys].sort());

    const audit = await federation.database.query<{ idempotency_key: string; outcome: string }>(
      `SELECT idempotency_key, outcome FROM ${SCHEMA}.audit_log WHERE actor_subject = 'hr-fault-tester' AND outcome IN ('ACCEPTED', 'REPLAYED')`,
    );
    const acceptances = audit.filter((entry) => entry.outcome === 'ACCEPTED').map((entry) => entry.idempotency_key);
    expect(acceptances.sort()).toEqual([...acceptedKeys].sort());
    // A replay answers a retry whose first attempt was written but whose answer was lost; it never writes figures.
    for (const entry of audit.filter((each) => each.outcome === 'REPLAYED')) expect(acceptedKeys).toContain(entry.idempotency_key);
  });
});

describe('a submission whose answer is lost: the gateway gives up while the slow database still commits', () => {
  const GATEWAY_TIMEOUT_MS = 500;
  let impatientGateway: ServiceProcess;
  let slowLineHr: string;
  const submission: Submission = {
    kind: 'staff',
    input: { year: 2025, headcount: 7_777, respondents: 3_333, withMigrationHistory: 777, idempotencyKey: `faults-${run}-lost-answer` },
  };

  beforeAll(async () => {
    impatientGateway = await federation.startExtraGateway({ [`SUBGRAPH_TIMEOUT_MS_${CITY.toUpperCase()}`]: String(GATEWAY_TIMEOUT_MS) });
    slowLineHr = federation.token({ sub: 'hr-slow-line', name: 'Slow Line Tester', roles: ['hr'], city: CITY });
  });

  afterAll(async () => {
    databaseProxy.forward();
    await impatientGateway?.stop();
  });

  it('is written once; the retry with the same key returns it, replayed, and writes nothing', async () => {
    // Every round trip to the database takes a while: the write outlasts the gateway's patience, but completes.
    databaseProxy.slow(150);
    const first = await send(submission, { url: impatientGateway.url, token: slowLineHr });
    expect(first).toEqual({ kind: 'unknown', why: `HTTP 200: CITY_UNAVAILABLE ${CITY}` });
    expect(lastUnavailableReason).toBe(`no answer within ${GATEWAY_TIMEOUT_MS} ms`);
    expect(lastWriteOutcome).toBe('UNKNOWN');
    databaseProxy.forward();

    // A client cannot know the write happened; it retries later with the same key, as it must.
    await eventually(async () => {
      const records = await federation.database.query(`SELECT 1 FROM ${SCHEMA}.idempotency_record WHERE key = $1`, [submission.input.idempotencyKey]);
      expect(records).toHaveLength(1);
    });
    const retry = await send(submission, { token: slowLineHr });
    expect(retry).toEqual({ kind: 'accepted', revision: 1, replayed: true });

    const stored = await federation.database.query(`SELECT headcount, revision FROM ${SCHEMA}.staff_figures WHERE submitted_by = 'Slow Line Tester'`);
    expect(stored).toEqual([{ headcount: 7_777, revision: 1 }]);
    const audit = await federation.database.query<{ outcome: string }>(
      `SELECT outcome FROM ${SCHEMA}.audit_log WHERE idempotency_key = $1 ORDER BY id`,
      [submission.input.idempotencyKey],
    );
    expect(audit.map((entry) => entry.outcome)).toEqual(['ACCEPTED', 'REPLAYED']);
  });
});

/** A stored row as the test compares it: the submitted values and the revision number the answer reported. */
function comparable(row: Record<string, unknown>): Record<string, unknown> {
  const common = { year: row.year, revision: row.revision, reason: row.reason };
  if ('headcount' in row) return { ...common, headcount: row.headcount, respondents: row.respondents, withMigrationHistory: row.with_migration_history };
  if ('intake' in row) return { ...common, intake: row.intake, withMigrationHistory: row.with_migration_history };
  return { ...common, unit: row.unit_id, staffInScope: row.staff_in_scope, completed: row.completed };
}

function storedForm(submission: Submission): Record<string, unknown> {
  const { input } = submission;
  const common = { year: input.year, revision: (input.correctsRevision ?? 0) + 1, reason: input.reason ?? null };
  switch (submission.kind) {
    case 'staff':
      return { ...common, headcount: input.headcount, respondents: input.respondents, withMigrationHistory: input.withMigrationHistory };
    case 'traineeIntake':
      return { ...common, intake: input.intake, withMigrationHistory: input.withMigrationHistory };
    case 'training':
      return { ...common, unit: input.unit, staffInScope: input.staffInScope, completed: input.completed };
  }
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
