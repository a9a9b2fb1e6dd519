/**
 * Property-based tests (fast-check) of HR submissions through the real federation: random inputs to every submit
 * mutation and random spreadsheets to importFigures, sent as GraphQL variables, including values GraphQL itself
 * refuses (floats, strings, numbers beyond 32 bits, fields of the wrong type). Each answer is accepted data or
 * errors with a stable code, never an internal error or an HTTP 5xx; the city keeps running; and afterwards every
 * stored row keeps the rules of a valid figure, and exactly the accepted submissions were stored.
 * Schema under test: schema/supergraph.graphql (`mutation { municipality(id: "duisburg") { ... } }`); Duisburg with the default units
 * and the demo data (revision 1 of 2010-2024), on a fresh PostgreSQL database; gateway and subgraphs as processes.
 * The seed is fixed; fast-check prints it with the shrunk counterexample. Another seed: FC_SEED=123.
 */
import fc from 'fast-check';
import { TestFederation, type GraphQLResponse } from '../support/federation';
import type { ServiceProcess } from '../support/processes';
import { DEFAULT_UNITS } from '../../services/city/units';

const SEED = Number(process.env.FC_SEED ?? 20_251_124);
const CURRENT_YEAR = new Date().getUTCFullYear();
const FIRST_YEAR = 2010;
const UNIT_IDS = DEFAULT_UNITS.map((unit) => unit.id);
const MAX_COUNT = 2 ** 31 - 1;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const SUBMITTER = 'Property Test';
/** Codes a client can act on. INTERNAL_SERVER_ERROR is the one that must never come. */
const STABLE_CODE = /^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|CONFLICT)$/;

let federation: TestFederation;
let city: ServiceProcess;
let hr: string;

beforeAll(async () => {
  // What is under test is validation, not speed: on a busy machine a slow answer must not pass for a failure.
  federation = await TestFederation.start({ gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '15000' } });
  city = federation.subgraphs.get('duisburg')!;
  hr = federation.token({ sub: 'hr-duisburg-properties', name: SUBMITTER, roles: ['hr'], city: 'duisburg' });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
});

type Kind = 'staff' | 'newHires' | 'traineeIntake' | 'training';

const MUTATIONS: Record<Kind, { document: string; field: string; table: string }> = {
  staff: {
    document: `mutation ($input: StaffFiguresInput!) { duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { replayed staff { year revision { number } } } } }`,
    field: 'submitStaffFigures',
    table: 'staff_figures',
  },
  newHires: {
    document: `mutation ($input: NewHiresInput!) { duisburg: municipality(id: "duisburg") { submitNewHires(input: $input) { replayed newHires { total revision { number } } } } }`,
    field: 'submitNewHires',
    table: 'new_hire_figures',
  },
  traineeIntake: {
    document: `mutation ($input: TraineeIntakeInput!) { duisburg: municipality(id: "duisburg") { submitTraineeIntake(input: $input) { replayed trainees { intake revision { number } } } } }`,
    field: 'submitTraineeIntake',
    table: 'trainee_figures',
  },
  training: {
    document: `mutation ($input: TrainingInput!) { duisburg: municipality(id: "duisburg") { submitTraining(input: $input) { replayed training { unit revision { number } } } } }`,
    field: 'submitTraining',
    table: 'training_figures',
  },
};

const IMPORT = `mutation ($csv: String!, $reason: String, $key: String) {
  duisburg: municipality(id: "duisburg") { importFigures(csv: $csv, reason: $reason, idempotencyKey: $key) { accepted rowsRead revisionsWritten replayed problems { row field code } } }
}`;

/** What was sent and what came back, to compare with the database at the end. */
const tally = { accepted: 0, replayed: 0, refused: 0, importsAccepted: 0, importedRevisions: 0, importsRefused: 0 };

/** Accepted data, or errors with a stable code and no data; never HTTP 5xx, never an internal error. */
function expectStableAnswer(response: GraphQLResponse, field: string): 'accepted' | 'refused' {
  expect(response.status).toBeLessThan(500);
  if (response.body.errors?.length) {
    expect({ codes: response.body.errors.map((error) => error.extensions?.code) }).toEqual({
      codes: response.body.errors.map(() => expect.stringMatching(STABLE_CODE)),
    });
    expect(response.body.data?.duisburg?.[field] ?? null).toBeNull();
    return 'refused';
  }
  expect(response.body.data?.duisburg?.[field]).toEqual(expect.any(Object));
  return 'accepted';
}

// ---------------------------------------------------------------------------------------------------------------
// Variables: plausible figures, then some fields replaced by anything JSON can carry.

/** Anything a client might put where an Int belongs; GraphQL refuses most of it before the city sees it. */
const anyInt = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 5_000 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(-1, MAX_COUNT, MAX_COUNT + 1, -(2 ** 31) - 1, 2 ** 53, 1e21, 0.5, 1.5, '12', '', 'zwölf', true, null, [], {}) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom<unknown>('', '  ', '\u0000', 'Quelle\u0000', '\uD800', 'ü'.repeat(501), 'x'.repeat(2001), 42, null, ['a']),
);
const validKey = fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/);
/** Keys from a small pool repeat, so that replays and keys reused for other figures happen too. */
const anyKey = fc.oneof(validKey, fc.constantFrom('retry-1', 'retry-2'), anyText);
const anyUnit = fc.oneof(fc.constantFrom<unknown>(...UNIT_IDS), fc.constantFrom<unknown>('marsbuero', '__proto__', 'jobcenter\u0000', 7, null), anyText);

const share = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const part = (whole: number, of: number | null) => (of === null ? null : Math.floor(whole * of));
const count = fc.integer({ min: 0, max: 20_000 });

/**
 * `correctsRevision` as the generator sees it: "latest" is resolved from the database just before sending, so that
 * corrections of existing years can be accepted; anything else is sent as it is.
 */
const corrects = fc.oneof({ weight: 4, arbitrary: fc.constant<unknown>('latest') }, { weight: 1, arbitrary: anyInt });

const meta = fc.record({
  year: fc.integer({ min: FIRST_YEAR, max: CURRENT_YEAR }),
  correctsRevision: corrects,
  reason: fc.constantFrom('Nachmeldung', 'Korrektur Personalstatistik'),
  source: fc.option(fc.constantFrom('Personalstatistik 31.12.', 'Umfrage'), { nil: undefined }),
  idempotencyKey: fc.option(validKey, { nil: undefined }),
});
const metaFields = { year: anyInt, correctsRevision: anyInt, reason: anyText, source: anyText, idempotencyKey: anyKey };

const plausible: Record<Kind, fc.Arbitrary<Record<string, unknown>>> = {
  staff: fc
    .record({
      meta,
      headcount: count,
      respondents: fc.option(share, { nil: null }),
      migration: fc.option(share, { nil: null }),
      foreign: fc.option(share, { nil: null }),
      units: fc.uniqueArray(fc.record({ unit: fc.constantFrom(...UNIT_IDS), headcount: share, respondents: share }), { selector: (unit) => unit.unit, maxLength: 3 }),
    })
    .map(({ meta, headcount, units, ...shares }) => {
      const respondents = part(headcount, shares.respondents);
      const withMigrationHistory = respondents === null ? null : part(respondents, shares.migration);
      return {
        ...meta,
        headcount,
        respondents,
        withMigrationHistory,
        withForeignNationality: part(headcount, shares.foreign),
        units: units.map((unit) => {
          const unitHeadcount = Math.floor((headcount * unit.headcount) / units.length);
          return { unit: unit.unit, headcount: unitHeadcount, respondents: respondents === null ? null : part(Math.min(unitHeadcount, Math.floor(respondents / units.length)), unit.respondents) };
        }),
      };
    }),
  newHires: fc.tuple(meta, count, share).map(([meta, total, migration]) => ({ ...meta, total, withMigrationHistory: part(total, migration) })),
  traineeIntake: fc.tuple(meta, count, share).map(([meta, intake, migration]) => ({ ...meta, intake, withMigrationHistory: part(intake, migration) })),
  training: fc
    .tuple(meta, fc.constantFrom(...UNIT_IDS), count, share)
    .map(([meta, unit, staffInScope, completed]) => ({ ...meta, unit, staffInScope, completed: part(staffInScope, completed) })),
};

const wildFields: Record<Kind, Record<string, fc.Arbitrary<unknown>>> = {
  staff: {
    ...metaFields,
    headcount: anyInt,
    respondents: anyInt,
    withMigrationHistory: anyInt,
    withForeignNationality: anyInt,
    units: fc.oneof(fc.array(fc.record({ unit: anyUnit, headcount: anyInt, respondents: anyInt }, { requiredKeys: ['unit'] }), { maxLength: 4 }), anyInt),
  },
  newHires: { ...metaFields, total: anyInt, withMigrationHistory: anyInt },
  traineeIntake: { ...metaFields, intake: anyInt, withMigrationHistory: anyInt },
  training: { ...metaFields, unit: anyUnit, staffInScope: anyInt, completed: anyInt },
};

/** One number of the input, or of one of its units, one more or one less: off by one across a limit. */
function nudged(plausibleInput: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(plausibleInput, fc.nat(), fc.constantFrom(-1, 1)).map(([input, pick, delta]) => {
    const copy = structuredClone(input) as Record<string, unknown> & { units?: Array<Record<string, unknown>> };
    const numbers = [copy, ...(copy.units ?? [])].flatMap((part) =>
      Object.keys(part)
        .filter((key) => typeof part[key] === 'number')
        .map((key) => [part, key] as const),
    );
    const [part, key] = numbers[pick % numbers.length]!;
    part[key] = (part[key] as number) + delta;
    return copy;
  });
}

/**
 * Plausible figures, or with a number off by one, or with one field replaced, or with several replaced or left
 * out, or with a field the input does not have.
 */
function inputs(kind: Kind): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(wildFields[kind]);
  const oneField = fc.oneof(...fields.map(([field, value]) => fc.record({ [field]: value })));
  const someFields = fc.record(Object.fromEntries(fields), { requiredKeys: [] });
  const missing = fc.subarray(fields.map(([field]) => field), { minLength: 1, maxLength: 2 });
  return fc.oneof(
    { weight: 3, arbitrary: plausible[kind] },
    { weight: 2, arbitrary: nudged(plausible[kind]) },
    { weight: 3, arbitrary: fc.tuple(plausible[kind], oneField).map(([input, replaced]) => ({ ...input, ...replaced })) },
    { weight: 1, arbitrary: fc.tuple(plausible[kind], someFields).map(([input, replaced]) => ({ ...input, ...replaced })) },
    {
      weight: 1,
      arbitrary: fc.tuple(plausible[kind], missing).map(([input, left]) => Object.fromEntries(Object.entries(input).filter(([field]) => !left.includes(field)))),
    },
    { weight: 1, arbitrary: plausible[kind].map((input) => ({ ...input, colour: 'blue' })) },
  );
}

/**
 * Checked first in every run, whatever the seed: figures valid but for one limit, each crossed by one. The random
 * inputs cross them only now and then.
 */
const OVER_THE_LIMIT: Record<Kind, Array<Record<string, unknown>>> = (() => {
  const meta = { year: CURRENT_YEAR, correctsRevision: 'latest', reason: 'Nachmeldung' };
  const staff = { ...meta, headcount: 100, respondents: 50, withMigrationHistory: 10, withForeignNationality: 20 };
  const newHires = { ...meta, total: 10, withMigrationHistory: 10 };
  const traineeIntake = { ...meta, intake: 10, withMigrationHistory: 10 };
  const training = { ...meta, unit: 'jobcenter', staffInScope: 10, completed: 10 };
  const overMeta = [{ year: CURRENT_YEAR + 1 }, { year: FIRST_YEAR - 1 }, { reason: 'x'.repeat(2001) }, { source: 'x'.repeat(501) }, { idempotencyKey: 'has spaces' }];
  return {
    staff: [
      { respondents: 101 },
      { withMigrationHistory: 51 },
      { withForeignNationality: 101 },
      { respondents: null },
      { headcount: -1 },
      { units: [{ unit: 'jobcenter', headcount: 101 }] },
      { units: [{ unit: 'jobcenter', headcount: 60, respondents: 51 }] },
      { units: [{ unit: 'jobcenter', headcount: 60, respondents: 61 }] },
      { units: [{ unit: 'jobcenter', headcount: 50 }, { unit: 'jugendamt', headcount: 51 }] },
      ...overMeta,
    ].map((over) => ({ ...staff, ...over })),
    newHires: [{ withMigrationHistory: 11 }, { total: -1 }, ...overMeta].map((over) => ({ ...newHires, ...over })),
    traineeIntake: [{ withMigrationHistory: 11 }, { intake: -1 }, ...overMeta].map((over) => ({ ...traineeIntake, ...over })),
    training: [{ completed: 11 }, { unit: 'marsbuero' }, ...overMeta].map((over) => ({ ...training, ...over })),
  };
})();

/** The latest revision of a kind's year (and unit) as stored, 0 when there is none. */
async function latestRevision(kind: Kind, year: unknown, unit: unknown): Promise<number> {
  if (typeof year !== 'number' || !Number.isInteger(year) || Math.abs(year) > MAX_COUNT) return 0;
  const byUnit = kind === 'training';
  if (byUnit && typeof unit !== 'string') return 0;
  const [row] = await federation.database.query<{ latest: number }>(
    `SELECT coalesce(max(revision), 0)::int AS latest FROM city_duisburg.${MUTATIONS[kind].table} WHERE year = $1${byUnit ? ' AND unit_id = $2' : ''}`,
    byUnit ? [year, unit] : [year],
  );
  return row!.latest;
}

async function submit(kind: Kind, generated: Record<string, unknown>): Promise<void> {
  const input = { ...generated };
  if (input.correctsRevision === 'latest') {
    const latest = await latestRevision(kind, input.year, input.unit);
    input.correctsRevision = latest === 0 ? null : latest;
  }
  const { field } = MUTATIONS[kind];
  const response = await federation.query(MUTATIONS[kind].document, { input }, { token: hr });
  const outcome = expectStableAnswer(response, field);
  if (outcome === 'refused') tally.refused += 1;
  else if (response.body.data!.duisburg[field].replayed) tally.replayed += 1;
  else tally.accepted += 1;
  expect(city.running).toBe(true);
}

// ---------------------------------------------------------------------------------------------------------------
// Spreadsheets: plausible rows with some wrong cells, and text that is not CSV at all.

const HEADER = 'Art;Jahr;Organisationseinheit;Beschäftigte;Befragte;mit Zuwanderungsgeschichte;Anzahl;Zielgruppe;geschult;korrigierte Revision;Begründung';
const csvCell = fc.oneof(
  fc.integer({ min: -5, max: 9_999 }).map(String),
  fc.constantFrom('', '1.234', '12,5', '99999999999', '2.147.483.648', '1e21', 'NaN', '"', 'a"b', '"x"y', '\u0000'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const CSV_KINDS: Record<string, Kind> = { Personal: 'staff', Neueinstellungen: 'newHires', Auszubildende: 'traineeIntake', Schulung: 'training' };
interface CsvRow {
  cells: string[];
  /** Resolved like `correctsRevision: 'latest'` above, when the row is a valid correction candidate. */
  correctsLatest: boolean;
}
const csvRow: fc.Arbitrary<CsvRow> = fc
  .record({
    kind: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('Personal', 'Personal Einheit', 'Neueinstellungen', 'Auszubildende', 'Schulung') }, { weight: 1, arbitrary: csvCell }),
    year: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: FIRST_YEAR, max: CURRENT_YEAR }).map(String) }, { weight: 1, arbitrary: csvCell }),
    unit: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...UNIT_IDS) }, { weight: 1, arbitrary: csvCell }),
    // headcount >= respondents >= migration history; new hires or trainees as many as staff.
    staff: fc.array(fc.integer({ min: 0, max: 9_999 }), { minLength: 3, maxLength: 3 }).map((counts) => counts.sort((a, b) => b - a)),
    training: fc.array(fc.integer({ min: 0, max: 9_999 }), { minLength: 2, maxLength: 2 }).map((counts) => counts.sort((a, b) => b - a)),
    wrongCell: fc.option(fc.tuple(fc.integer({ min: 0, max: 7 }), csvCell), { nil: null, freq: 2 }),
    correction: fc.oneof({ weight: 3, arbitrary: fc.constant('latest') }, { weight: 1, arbitrary: fc.constantFrom('', '1', '2', 'x') }),
  })
  .map((row) => {
    const cells = [row.kind, row.year, row.unit, ...row.staff.map(String), String(row.staff[0]), ...row.training.map(String), row.correction, 'Nachmeldung'];
    if (row.wrongCell) cells[row.wrongCell[0]] = row.wrongCell[1];
    return { cells, correctsLatest: row.correction === 'latest' };
  });
const csvFile = fc.oneof(
  { weight: 4, arbitrary: fc.array(csvRow, { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

/** The file's text, with "latest" corrections looked up in the database. */
async function csvText(file: CsvRow[] | string): Promise<string> {
  if (typeof file === 'string') return file;
  const lines = [HEADER];
  for (const { cells, correctsLatest } of file) {
    const row = [...cells];
    if (correctsLatest) {
      const [kind, year, unit] = row;
      const latest = CSV_KINDS[kind!] ? await latestRevision(CSV_KINDS[kind!]!, Number(year), unit) : 0;
      row[9] = latest === 0 ? '' : String(latest);
    }
    lines.push(row.join(';'));
  }
  return lines.join('\n');
}

async function importFile(csv: string, reason: unknown, key: unknown): Promise<GraphQLResponse> {
  const response = await federation.query(IMPORT, { csv, reason, key }, { token: hr });
  if (expectStableAnswer(response, 'importFigures') === 'accepted') {
    const report = response.body.data!.duisburg.importFigures;
    if (report.accepted && !report.replayed) {
      tally.importsAccepted += 1;
      tally.importedRevisions += report.revisionsWritten;
    }
    if (!report.accepted) {
      tally.importsRefused += 1;
      expect(report.revisionsWritten).toBe(0);
      expect(report.problems.length).toBeGreaterThan(0);
      for (const problem of report.problems) expect(problem.code).toMatch(/^(BAD_USER_INPUT|CONFLICT)$/);
    }
  }
  expect(city.running).toBe(true);
  return response;
}

// ---------------------------------------------------------------------------------------------------------------

describe('random submissions through the federation', () => {
  // Each kind its own seed: with one seed they would draw the same idempotency keys, and refuse each other's.
  it.each([
    ['staff', 25, 0],
    ['newHires', 12, 1],
    ['traineeIntake', 12, 2],
    ['training', 15, 3],
  ] as const)('%s: any input gets accepted data or a stable error, and the city keeps running', async (kind, numRuns, seedOffset) => {
    await fc.assert(
      fc.asyncProperty(inputs(kind), (input) => submit(kind, input)),
      { seed: SEED + seedOffset, numRuns, examples: OVER_THE_LIMIT[kind].map((input) => [input]) },
    );
  });

  it('importFigures: any file gets a report or a stable error, and the city keeps running', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, fc.oneof(fc.constant(null), anyText), fc.oneof(fc.constant(null), anyKey), async (file, reason, key) => {
        await importFile(await csvText(file), reason, key);
      }),
      { seed: SEED + 4, numRuns: 25 },
    );
  });

  // Found by the properties above; kept as plain examples so that they are checked whatever the seed.
  it.each([
    ['a count beyond PostgreSQL integer', `${HEADER}\nNeueinstellungen;${CURRENT_YEAR};;;;;99999999999;;;;`, 'total'],
    ['a quote that is never closed', `${HEADER}\nNeueinstellungen;"${CURRENT_YEAR};;;;;5;;;;`, 'csv'],
  ])('refuses a spreadsheet with %s in its report', async (_case, csv, field) => {
    const response = await importFile(csv, null, null);
    expect(response.body.data!.duisburg.importFigures).toMatchObject({ accepted: false, problems: [{ field, code: 'BAD_USER_INPUT' }] });
  });

  /** The audit entries Duisburg's service wrote while `act` ran. */
  async function auditedDuring(act: () => Promise<unknown>): Promise<Array<{ outcome: string }>> {
    const [before] = await federation.database.query<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM city_duisburg.audit_log');
    await act();
    return federation.database.query('SELECT outcome FROM city_duisburg.audit_log WHERE id > $1::bigint ORDER BY id', [before!.id]);
  }

  it('refuses an import whose idempotency key has U+0000 with BAD_USER_INPUT', async () => {
    const response = await importFile(`${HEADER}\nSchulung;${CURRENT_YEAR};jobcenter;;;;;10;5;;`, null, 'key\u0000');
    expect(response.body.errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'idempotencyKey']]);
  });

  it('logs the refusal of a spreadsheet whose column name has U+0000, which PostgreSQL cannot store', async () => {
    let response: Awaited<ReturnType<typeof importFile>> | undefined;
    const logged = await auditedDuring(async () => {
      response = await importFile(`${HEADER};Farbe\u0000\nSchulung;${CURRENT_YEAR};jobcenter;;;;;10;5;;;blau`, null, null);
    });
    expect(response!.body.data!.duisburg.importFigures).toMatchObject({ accepted: false, problems: [{ code: 'BAD_USER_INPUT' }] });
    expect(logged).toEqual([expect.objectContaining({ outcome: 'REFUSED' })]);
  });

  it('refuses a source with U+0000 with BAD_USER_INPUT, and logs the refusal', async () => {
    let response: Awaited<ReturnType<TestFederation['query']>> | undefined;
    const logged = await auditedDuring(async () => {
      response = await federation.query(MUTATIONS.newHires.document, { input: { year: 1990, total: 5, source: 'Statistik\u0000' } }, { token: hr });
    });
    expect(response!.body.errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([
      ['BAD_USER_INPUT', 'year'],
      ['BAD_USER_INPUT', 'source'],
    ]);
    expect(logged).toEqual([expect.objectContaining({ outcome: 'REFUSED' })]);
  });

  it('tried both outcomes: some inputs were accepted, some refused', () => {
    expect(tally.accepted).toBeGreaterThan(5);
    expect(tally.refused).toBeGreaterThan(5);
    expect(tally.importsRefused).toBeGreaterThan(3);
  });
});

describe('afterwards', () => {
  it('the city still runs and answers', async () => {
    expect(city.running).toBe(true);
    const response = await federation.query(`{ municipality(id: "duisburg") { staff(year: 2024) { headcount } } }`, {}, { token: hr });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.municipality.staff.headcount).toEqual(expect.any(Number));
  });

  it('stored exactly the accepted submissions: one revision each, nothing for refused ones', async () => {
    let stored = 0;
    for (const { table } of Object.values(MUTATIONS)) {
      const [row] = await federation.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM city_duisburg.${table} WHERE submitted_by = $1`, [SUBMITTER]);
      stored += row!.n;
    }
    expect(stored).toBe(tally.accepted + tally.importedRevisions);
    const [audit] = await federation.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM city_duisburg.audit_log WHERE actor_subject = 'hr-duisburg-properties' AND outcome = 'ACCEPTED'`,
    );
    expect(audit!.n).toBe(tally.accepted + tally.importsAccepted);
  });

  it('every stored row keeps the rules of a valid figure', async () => {
    const query = (sql: string) => federation.database.query<Record<string, unknown>>(sql);
    const staff = await query(`SELECT * FROM city_duisburg.staff_figures`);
    const units = await query(`SELECT * FROM city_duisburg.staff_unit_figures`);
    const newHires = await query(`SELECT * FROM city_duisburg.new_hire_figures`);
    const trainees = await query(`SELECT * FROM city_duisburg.trainee_figures`);
    const training = await query(`SELECT * FROM city_duisburg.training_figures`);
    const keys = await query(`SELECT key FROM city_duisburg.idempotency_record`);

    const broken: string[] = [];
    const rule = (holds: boolean, what: string, row: Record<string, unknown>) => {
      if (!holds) broken.push(`${what}: ${JSON.stringify(row)}`);
    };
    const isCount = (value: unknown) => value === null || (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT);
    const atMost = (part: unknown, whole: unknown) => part === null || whole === null || (part as number) <= (whole as number);

    for (const row of [...staff, ...newHires, ...trainees, ...training]) {
      const submitted = row.provenance_kind === 'SUBMITTED';
      rule(!submitted || (typeof row.year === 'number' && row.year >= FIRST_YEAR && row.year <= CURRENT_YEAR), 'year within the reporting years', row);
      rule(String(row.reason ?? '').length <= 2000, 'reason at most 2000 characters', row);
      rule(String(row.provenance_source ?? '').length <= 500, 'source at most 500 characters', row);
      rule(!submitted || row.revision === 1 || String(row.reason ?? '').trim() !== '', 'a correction has a reason', row);
    }
    for (const row of staff) {
      for (const field of ['headcount', 'respondents', 'with_migration_history', 'with_foreign_nationality']) rule(isCount(row[field]), `${field} is a count`, row);
      rule(row.provenance_kind !== 'SUBMITTED' || row.headcount !== null, 'submitted staff figures have a headcount', row);
      rule(atMost(row.respondents, row.headcount), 'respondents <= headcount', row);
      rule(atMost(row.with_migration_history, row.respondents), 'withMigrationHistory <= respondents', row);
      rule(row.with_migration_history === null || row.respondents !== null, 'withMigrationHistory needs respondents', row);
      rule(atMost(row.with_foreign_nationality, row.headcount), 'withForeignNationality <= headcount', row);
      const breakdown = units.filter((unit) => unit.staff_figures_id === row.id);
      for (const [unitField, totalField] of [
        ['headcount', 'headcount'],
        ['respondents', 'respondents'],
        ['with_migration_history', 'with_migration_history'],
      ] as const) {
        const sum = breakdown.reduce((total, unit) => total + ((unit[unitField] as number | null) ?? 0), 0);
        rule(breakdown.length === 0 || row[totalField] === null || sum <= (row[totalField] as number), `units add up to at most ${totalField}`, row);
      }
    }
    for (const row of units) {
      for (const field of ['headcount', 'respondents', 'with_migration_history']) rule(isCount(row[field]), `unit ${field} is a count`, row);
      rule(UNIT_IDS.includes(String(row.unit_id)), 'unit known', row);
      rule(atMost(row.respondents, row.headcount), 'unit respondents <= headcount', row);
      rule(atMost(row.with_migration_history, row.respondents), 'unit withMigrationHistory <= respondents', row);
    }
    for (const [rows, whole] of [
      [newHires, 'total'],
      [trainees, 'intake'],
    ] as const) {
      for (const row of rows) {
        rule(isCount(row[whole]) && isCount(row.with_migration_history), 'counts', row);
        rule(row.provenance_kind !== 'SUBMITTED' || row[whole] !== null, `submitted figures have ${whole}`, row);
        rule(atMost(row.with_migration_history, row[whole]), `withMigrationHistory <= ${whole}`, row);
      }
    }
    for (const row of training) {
      rule(isCount(row.staff_in_scope) && isCount(row.completed), 'counts', row);
      rule(UNIT_IDS.includes(String(row.unit_id)), 'unit known', row);
      rule(atMost(row.completed, row.staff_in_scope), 'completed <= staffInScope', row);
    }
    for (const row of keys) rule(IDEMPOTENCY_KEY.test(String(row.key)), 'idempotency key format', row);

    // Revisions count up from 1 without gaps: no accepted submission went missing, none was written twice.
    const revisions = await query(`
      SELECT kind, year, unit, array_agg(revision ORDER BY revision) AS revisions FROM (
        SELECT 'staff' AS kind, year, '' AS unit, revision FROM city_duisburg.staff_figures
        UNION ALL SELECT 'newHires', year, '', revision FROM city_duisburg.new_hire_figures
        UNION ALL SELECT 'traineeIntake', year, '', revision FROM city_duisburg.trainee_figures
        UNION ALL SELECT 'training', year, unit_id, revision FROM city_duisburg.training_figures
      ) AS all_revisions GROUP BY kind, year, unit`);
    for (const row of revisions) {
      const numbers = row.revisions as number[];
      rule(
        numbers.every((number, index) => number === index + 1),
        'revisions 1..n',
        row,
      );
    }

    expect(broken).toEqual([]);
    expect(staff.length + newHires.length + trainees.length + training.length).toBeGreaterThan(0);
  });
});
