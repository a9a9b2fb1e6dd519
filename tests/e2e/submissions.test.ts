/**
 * HR submissions through the gateway, on real PostgreSQL: every validation rule, nothing written when anything is
 * refused, corrections as revisions, optimistic concurrency, idempotent retries.
 * Schema under test: schema/supergraph.graphql (`mutation { municipality(id: "duisburg") { ... } }`).
 */
import { TestFederation, type GraphQLResponse } from '../support/federation';

let federation: TestFederation;
let hr: string;
let hrHerne: string;

beforeAll(async () => {
  federation = await TestFederation.start();
  hr = federation.token({ sub: 'hr-duisburg', name: 'Petra Personal', roles: ['hr'], city: 'duisburg' });
  hrHerne = federation.token({ sub: 'hr-herne', roles: ['hr'], city: 'herne' });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
});

const SUBMIT_STAFF = `mutation ($input: StaffFiguresInput!) {
  duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { replayed staff { year headcount respondents withMigrationHistory provenance { kind source } revision { number submittedBy reason } } } }
}`;
const SUBMIT_TRAINING = `mutation ($input: TrainingInput!) { duisburg: municipality(id: "duisburg") { submitTraining(input: $input) { training { unit completed revision { number } } } } }`;
const SUBMIT_TRAINEES = `mutation ($input: TraineeIntakeInput!) { duisburg: municipality(id: "duisburg") { submitTraineeIntake(input: $input) { trainees { intake revision { number } } } } }`;
const SUBMIT_NEW_HIRES = `mutation ($input: NewHiresInput!) { duisburg: municipality(id: "duisburg") { submitNewHires(input: $input) { newHires { total revision { number } } } } }`;

const refusedFields = (response: GraphQLResponse) => {
  expect(response.body.data?.duisburg ?? null).toBeNull();
  return (response.body.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.field]);
};

const staff = (overrides: Record<string, unknown>) => ({ year: 2025, headcount: 9000, respondents: 5000, withMigrationHistory: 1000, ...overrides });

/** Every table of Duisburg's figures and every sequence, as text: "byte for byte" in the words of the issue. */
async function figuresSnapshot(): Promise<string> {
  const tables = await federation.database.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'city_duisburg' AND table_name <> 'audit_log' ORDER BY 1`,
  );
  const dump: Record<string, unknown> = {};
  for (const { table_name } of tables) {
    dump[table_name] = await federation.database.query(`SELECT * FROM city_duisburg.${table_name} ORDER BY 1, 2`);
  }
  const sequences = await federation.database.query<{ sequence_name: string }>(
    `SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'city_duisburg' AND sequence_name NOT LIKE 'audit_log%' ORDER BY 1`,
  );
  for (const { sequence_name } of sequences) {
    dump[sequence_name] = await federation.database.query(`SELECT last_value, is_called FROM city_duisburg.${sequence_name}`);
  }
  return JSON.stringify(dump);
}

describe('validation: one BAD_USER_INPUT error per refused field, in German and English', () => {
  it.each([
    ['negative counts', staff({ headcount: -1 }), [['BAD_USER_INPUT', 'headcount']]],
    ['more respondents than staff', staff({ respondents: 9001 }), [['BAD_USER_INPUT', 'respondents']]],
    ['more with a migration history than respondents', staff({ withMigrationHistory: 5001 }), [['BAD_USER_INPUT', 'withMigrationHistory']]],
    ['a migration history without respondents', staff({ respondents: null }), [['BAD_USER_INPUT', 'withMigrationHistory']]],
    ['more with foreign nationality than staff', staff({ withForeignNationality: 9001 }), [['BAD_USER_INPUT', 'withForeignNationality']]],
    ['a year before the city joined', staff({ year: 2009 }), [['BAD_USER_INPUT', 'year']]],
    ['a year in the future', staff({ year: new Date().getUTCFullYear() + 1 }), [['BAD_USER_INPUT', 'year']]],
    ['a unit the city does not have', staff({ units: [{ unit: 'marsbuero', headcount: 5 }] }), [['BAD_USER_INPUT', 'units[0].unit']]],
    ['a unit twice', staff({ units: [{ unit: 'jobcenter', headcount: 5 }, { unit: 'jobcenter', headcount: 5 }] }), [['BAD_USER_INPUT', 'units[1].unit']]],
    ['a unit with more respondents than staff', staff({ units: [{ unit: 'jobcenter', headcount: 5, respondents: 6 }] }), [['BAD_USER_INPUT', 'units[0].respondents']]],
    ['units adding up to more than the total', staff({ units: [{ unit: 'jobcenter', headcount: 9001 }] }), [['BAD_USER_INPUT', 'units']]],
    ['a correction without a reason', staff({ year: 2024, correctsRevision: 1 }), [['BAD_USER_INPUT', 'reason']]],
    ['a malformed idempotency key', staff({ idempotencyKey: 'has spaces' }), [['BAD_USER_INPUT', 'idempotencyKey']]],
    [
      'several problems at once',
      staff({ headcount: -1, year: 1999, units: [{ unit: 'x', headcount: 1 }] }),
      [
        ['BAD_USER_INPUT', 'year'],
        ['BAD_USER_INPUT', 'headcount'],
        ['BAD_USER_INPUT', 'units[0].unit'],
      ],
    ],
  ])('refuses %s', async (_case, input, expected) => {
    const response = await federation.query(SUBMIT_STAFF, { input }, { token: hr });
    expect(refusedFields(response)).toEqual(expected);
    for (const error of response.body.errors!) {
      expect(error.extensions!.messages).toEqual({ de: expect.any(String), en: expect.any(String) });
    }
  });

  it('refuses more trained than in scope', async () => {
    const response = await federation.query(SUBMIT_TRAINING, { input: { year: 2025, unit: 'jobcenter', staffInScope: 10, completed: 11 } }, { token: hr });
    expect(refusedFields(response)).toEqual([['BAD_USER_INPUT', 'completed']]);
  });

  it('refuses more trainees or new hires with a migration history than in all', async () => {
    const trainees = await federation.query(SUBMIT_TRAINEES, { input: { year: 2025, intake: 10, withMigrationHistory: 11 } }, { token: hr });
    expect(refusedFields(trainees)).toEqual([['BAD_USER_INPUT', 'withMigrationHistory']]);
    const newHires = await federation.query(SUBMIT_NEW_HIRES, { input: { year: 2025, total: 10, withMigrationHistory: -2 } }, { token: hr });
    expect(refusedFields(newHires)).toEqual([['BAD_USER_INPUT', 'withMigrationHistory']]);
  });

  it('refuses a migration history from a city that records nationality only (Herne)', async () => {
    const response = await federation.query(
      `mutation ($input: StaffFiguresInput!) { herne: municipality(id: "herne") { submitStaffFigures(input: $input) { replayed } } }`,
      { input: { year: 2025, headcount: 3100, respondents: 1000, withMigrationHistory: 100 } },
      { token: hrHerne },
    );
    expect((response.body.errors ?? []).map((error) => error.extensions?.field)).toEqual(['withMigrationHistory']);
  });

  it('speaks German when asked to', async () => {
    const response = await federation.query(SUBMIT_STAFF, { input: staff({ headcount: -1 }) }, { token: hr, headers: { 'accept-language': 'de' } });
    expect(response.body.errors![0]!.message).toBe('Beschäftigte darf nicht negativ sein (-1).');
    expect(response.body.errors![0]!.extensions!.messages.en).toBe('headcount must not be negative (-1).');
  });

  it('writes nothing at all when a value is refused: the figures stay byte for byte the same', async () => {
    const before = await figuresSnapshot();
    const auditBefore = await federation.database.query('SELECT count(*)::int AS n FROM city_duisburg.audit_log');
    const response = await federation.query(
      SUBMIT_STAFF,
      { input: staff({ units: [{ unit: 'jobcenter', headcount: 700, respondents: 400, withMigrationHistory: 100 }, { unit: 'feuerwehr', headcount: 5, respondents: 6 }] }) },
      { token: hr },
    );
    expect(refusedFields(response)).toEqual([['BAD_USER_INPUT', 'units[1].respondents']]);
    expect(await figuresSnapshot()).toBe(before);
    const [latest] = await federation.database.query('SELECT outcome, actor_subject FROM city_duisburg.audit_log ORDER BY id DESC LIMIT 1');
    expect(latest).toEqual({ outcome: 'REFUSED', actor_subject: 'hr-duisburg' });
    const auditAfter = await federation.database.query('SELECT count(*)::int AS n FROM city_duisburg.audit_log');
    expect(auditAfter[0]!.n).toBe((auditBefore[0]!.n as number) + 1);
  });
});

describe('revisions', () => {
  it("records a year's first submission as revision 1, with author and source", async () => {
    const response = await federation.query(SUBMIT_STAFF, { input: staff({ year: 2026, source: 'Personalstatistik 31.12.2026' }) }, { token: hr });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.duisburg.submitStaffFigures.staff).toMatchObject({
      year: 2026,
      provenance: { kind: 'SUBMITTED', source: 'Personalstatistik 31.12.2026' },
      revision: { number: 1, submittedBy: 'Petra Personal', reason: null },
    });
  });

  it('refuses a second "first" submission for a year that has figures: CONFLICT, naming the latest revision', async () => {
    const response = await federation.query(SUBMIT_STAFF, { input: staff({ year: 2024 }) }, { token: hr });
    expect(response.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONFLICT', latestRevision: 1 }) })]);
  });

  it('corrects by adding a revision: queries show the latest, the history shows all', async () => {
    const correction = await federation.query(
      SUBMIT_STAFF,
      { input: staff({ year: 2024, headcount: 9444, respondents: 5700, withMigrationHistory: 1111, correctsRevision: 1, reason: 'Nachmeldung Eigenbetriebe' }) },
      { token: hr },
    );
    expect(correction.body.errors).toBeUndefined();
    expect(correction.body.data!.duisburg.submitStaffFigures.staff.revision).toEqual({ number: 2, submittedBy: 'Petra Personal', reason: 'Nachmeldung Eigenbetriebe' });

    const read = await federation.query(
      `{ municipality(id: "duisburg") { staff(year: 2024) { headcount withMigrationHistory } staffRevisions(year: 2024) { headcount revision { number submittedBy reason } } } }`,
      {},
      { token: hr },
    );
    const city = read.body.data!.municipality;
    expect(city.staff).toEqual({ headcount: 9444, withMigrationHistory: 1111 });
    expect(city.staffRevisions.map((entry: { revision: { number: number; submittedBy: string } }) => [entry.revision.number, entry.revision.submittedBy])).toEqual([
      [1, 'demo-data'],
      [2, 'Petra Personal'],
    ]);
  });

  it('refuses a correction of a revision that is no longer the latest: CONFLICT, nothing written', async () => {
    const before = await figuresSnapshot();
    const stale = await federation.query(SUBMIT_STAFF, { input: staff({ year: 2024, correctsRevision: 1, reason: 'late' }) }, { token: hr });
    expect(stale.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONFLICT', latestRevision: 2, correctsRevision: 1 }) }),
    ]);
    expect(await figuresSnapshot()).toBe(before);
  });

  it('lets exactly one of two concurrent corrections of the same revision through; the other gets CONFLICT', async () => {
    const correct = (headcount: number) =>
      federation.query(SUBMIT_STAFF, { input: staff({ year: 2023, headcount, correctsRevision: 1, reason: `Korrektur ${headcount}` }) }, { token: hr });
    const outcomes = await Promise.all([correct(9101), correct(9102)]);
    const codes = outcomes.map((response) => response.body.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const rows = await federation.database.query('SELECT revision FROM city_duisburg.staff_figures WHERE year = 2023 ORDER BY revision');
    expect(rows).toEqual([{ revision: 1 }, { revision: 2 }]);
  });

  it('keeps corrections per unit apart for training figures', async () => {
    const jobcenter = await federation.query(
      SUBMIT_TRAINING,
      { input: { year: 2024, unit: 'jobcenter', staffInScope: 760, completed: 700, correctsRevision: 1, reason: 'Schulungen Dezember' } },
      { token: hr },
    );
    expect(jobcenter.body.data!.duisburg.submitTraining.training).toEqual({ unit: 'jobcenter', completed: 700, revision: { number: 2 } });
  });
});

describe('idempotency', () => {
  it('returns the first result for a retried submission and writes it once', async () => {
    const input = { year: 2025, intake: 150, withMigrationHistory: 50, idempotencyKey: 'azubi-2025-upload-1' };
    const first = await federation.query(SUBMIT_TRAINEES, { input }, { token: hr });
    const retry = await federation.query(SUBMIT_TRAINEES, { input }, { token: hr });
    expect(first.body.errors).toBeUndefined();
    expect(retry.body.data).toEqual(first.body.data);
    const rows = await federation.database.query('SELECT revision FROM city_duisburg.trainee_figures WHERE year = 2025');
    expect(rows).toEqual([{ revision: 1 }]);
    const replayed = await federation.query(
      `mutation ($input: TraineeIntakeInput!) { duisburg: municipality(id: "duisburg") { submitTraineeIntake(input: $input) { replayed } } }`,
      { input },
      { token: hr },
    );
    expect(replayed.body.data!.duisburg.submitTraineeIntake.replayed).toBe(true);
  });

  it('replays concurrent retries too', async () => {
    const input = { year: 2025, total: 480, withMigrationHistory: 120, idempotencyKey: 'hires-2025-a' };
    const responses = await Promise.all([1, 2, 3].map(() => federation.query(SUBMIT_NEW_HIRES, { input }, { token: hr })));
    expect(responses.map((response) => response.body.errors)).toEqual([undefined, undefined, undefined]);
    const rows = await federation.database.query('SELECT revision FROM city_duisburg.new_hire_figures WHERE year = 2025');
    expect(rows).toEqual([{ revision: 1 }]);
  });

  it('refuses the same key for different figures', async () => {
    const response = await federation.query(
      SUBMIT_TRAINEES,
      { input: { year: 2025, intake: 151, withMigrationHistory: 50, idempotencyKey: 'azubi-2025-upload-1' } },
      { token: hr },
    );
    expect(response.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' }) })]);
  });
});

describe('how sure a submitted share is', () => {
  it('gives a census, where every member of staff answered, the share itself as its interval', async () => {
    const census = await federation.query(SUBMIT_STAFF, { input: staff({ year: 2025, headcount: 9000, respondents: 9000, withMigrationHistory: 2000 }) }, { token: hr });
    expect(census.body.errors).toBeUndefined();
    const { body } = await federation.query(`{ municipality(id: "duisburg") { staff(year: 2025) { share shareInterval { lower upper level } targetStatus } } }`);
    expect(body.data!.municipality.staff).toEqual({
      share: 2000 / 9000,
      shareInterval: { lower: 2000 / 9000, upper: 2000 / 9000, level: 0.95 },
      targetStatus: 'NOT_MET',
    });
  });
});
