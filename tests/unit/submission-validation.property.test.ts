/**
 * Property-based tests (fast-check) of the submission validation (services/city/submissions/validation.ts) and of
 * the CSV import parser (services/city/import/figures-csv.ts): whatever a form, a script or a spreadsheet sends,
 * validation answers with a list of problems instead of throwing, accepts exactly the inputs that keep every rule
 * of a valid figure, and names each field that breaks one; the parser turns any text into submissions and refused
 * rows, never into an exception.
 *
 * The rules are restated here (`RuleBreaks`, `staffBreaks` ...) rather than imported, so that the test can disagree
 * with the code.
 * The seed is fixed so that CI checks the same inputs every time; fast-check prints the seed and the shrunk
 * counterexample of a failure. Another seed: FC_SEED=123 npx jest submission-validation.property
 */
import fc from 'fast-check';
import { parseCount, parseFiguresCsv, COLUMNS, KINDS } from '../../services/city/import/figures-csv';
import type {
  NewHiresSubmission,
  StaffSubmission,
  SubmissionMeta,
  TraineeIntakeSubmission,
  TrainingSubmission,
  UnitStaffSubmission,
} from '../../services/city/submissions/submission';
import {
  validateNewHires,
  validateStaff,
  validateSubmission,
  validateTraineeIntake,
  validateTraining,
  type Problem,
  type ValidationRules,
} from '../../services/city/submissions/validation';
import { DEFAULT_UNITS } from '../../services/city/units';

const SEED = Number(process.env.FC_SEED ?? 20_251_124);
const NUM_RUNS = 500;
const RUNS = { seed: SEED, numRuns: NUM_RUNS };

// ---------------------------------------------------------------------------------------------------------------
// The rules of a valid figure, stated independently of validation.ts.

const FIRST_YEAR = 2010;
const LAST_YEAR = 2025;
const UNIT_IDS = DEFAULT_UNITS.map((unit) => unit.id);
const UNITS = new Map(DEFAULT_UNITS.map((unit) => [unit.id, { name: unit.name }]));
/** The figures' columns are PostgreSQL `integer`: a larger count cannot be stored. */
const MAX_COUNT = 2 ** 31 - 1;
const MAX_REASON = 2000;
const MAX_SOURCE = 500;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

const rulesFor = (recordsMigrationHistory: boolean): ValidationRules => ({ firstYear: FIRST_YEAR, lastYear: LAST_YEAR, units: UNITS, recordsMigrationHistory });

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT;
/** PostgreSQL `text` cannot hold U+0000, and stores a lone surrogate as U+FFFD (not the text submitted). */
const storableText = (text: string) => !text.includes('\u0000') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/**
 * The fields of a submission that break a rule. A comparison with a value that is itself refused is no extra
 * break (respondents > headcount is not reported when headcount is already refused): the refused value is.
 */
class RuleBreaks {
  /** Breaks of this part (the submission, or one unit of its breakdown), by unprefixed field. */
  private readonly here = new Set<string>();

  constructor(
    readonly fields = new Set<string>(),
    private readonly prefix = '',
  ) {}

  add(field: string): void {
    this.here.add(field);
    this.fields.add(`${this.prefix}${field}`);
  }

  within(prefix: string): RuleBreaks {
    return new RuleBreaks(this.fields, prefix);
  }

  count(field: string, value: unknown, required: boolean): void {
    if (value == null ? required : !isCount(value)) this.add(field);
  }

  atMost(partField: string, part: unknown, wholeField: string, whole: unknown): void {
    if (isCount(part) && isCount(whole) && !this.here.has(partField) && !this.here.has(wholeField) && part > whole) this.add(partField);
  }

  /** A share of the respondents needs the respondents. */
  needs(field: string, value: unknown, needed: unknown): void {
    if (value != null && needed == null) this.add(field);
  }

  /** Some cities record nationality only (member registry). */
  recorded(field: string, value: unknown, recordsMigrationHistory: boolean): void {
    if (value != null && !recordsMigrationHistory) this.add(field);
  }
}

function metaBreaks(input: SubmissionMeta, breaks: RuleBreaks): void {
  if (!(Number.isInteger(input.year) && input.year >= FIRST_YEAR && input.year <= LAST_YEAR)) breaks.add('year');
  if (input.correctsRevision != null && !(Number.isInteger(input.correctsRevision) && input.correctsRevision >= 1)) breaks.add('correctsRevision');
  // The reason is stored trimmed, the source is limited as sent.
  const reason = (input.reason ?? '').trim();
  if (input.correctsRevision != null && reason === '') breaks.add('reason');
  if (reason.length > MAX_REASON || !storableText(reason)) breaks.add('reason');
  const source = input.source ?? '';
  if (source.length > MAX_SOURCE || !storableText(source)) breaks.add('source');
  if (input.idempotencyKey != null && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) breaks.add('idempotencyKey');
}

function staffBreaks(input: StaffSubmission, recordsMigrationHistory: boolean): Set<string> {
  const breaks = new RuleBreaks();
  metaBreaks(input, breaks);
  breaks.count('headcount', input.headcount, true);
  breaks.count('respondents', input.respondents, false);
  breaks.count('withMigrationHistory', input.withMigrationHistory, false);
  breaks.count('withForeignNationality', input.withForeignNationality, false);
  breaks.recorded('withMigrationHistory', input.withMigrationHistory, recordsMigrationHistory);
  breaks.needs('withMigrationHistory', input.withMigrationHistory, input.respondents);
  breaks.atMost('respondents', input.respondents, 'headcount', input.headcount);
  breaks.atMost('withMigrationHistory', input.withMigrationHistory, 'respondents', input.respondents);
  breaks.atMost('withForeignNationality', input.withForeignNationality, 'headcount', input.headcount);

  const units = input.units ?? [];
  const seen = new Set<string>();
  units.forEach((unit, index) => {
    const within = breaks.within(`units[${index}].`);
    if (!UNITS.has(unit.unit) || seen.has(unit.unit)) within.add('unit');
    seen.add(unit.unit);
    within.count('headcount', unit.headcount, true);
    within.count('respondents', unit.respondents, false);
    within.count('withMigrationHistory', unit.withMigrationHistory, false);
    within.recorded('withMigrationHistory', unit.withMigrationHistory, recordsMigrationHistory);
    within.needs('withMigrationHistory', unit.withMigrationHistory, unit.respondents);
    within.atMost('respondents', unit.respondents, 'headcount', unit.headcount);
    within.atMost('withMigrationHistory', unit.withMigrationHistory, 'respondents', unit.respondents);
  });
  for (const field of ['headcount', 'respondents', 'withMigrationHistory'] as const) {
    const total = input[field];
    const parts = units.map((unit) => unit[field] ?? 0);
    if (isCount(total) && parts.every(isCount) && parts.reduce((sum, part) => sum + part, 0) > total) breaks.add('units');
  }
  return breaks.fields;
}

function newHiresBreaks(input: NewHiresSubmission, recordsMigrationHistory: boolean): Set<string> {
  const breaks = new RuleBreaks();
  metaBreaks(input, breaks);
  breaks.count('total', input.total, true);
  breaks.count('withMigrationHistory', input.withMigrationHistory, false);
  breaks.recorded('withMigrationHistory', input.withMigrationHistory, recordsMigrationHistory);
  breaks.atMost('withMigrationHistory', input.withMigrationHistory, 'total', input.total);
  return breaks.fields;
}

function traineeIntakeBreaks(input: TraineeIntakeSubmission, recordsMigrationHistory: boolean): Set<string> {
  const breaks = new RuleBreaks();
  metaBreaks(input, breaks);
  breaks.count('intake', input.intake, true);
  breaks.count('withMigrationHistory', input.withMigrationHistory, false);
  breaks.recorded('withMigrationHistory', input.withMigrationHistory, recordsMigrationHistory);
  breaks.atMost('withMigrationHistory', input.withMigrationHistory, 'intake', input.intake);
  return breaks.fields;
}

function trainingBreaks(input: TrainingSubmission): Set<string> {
  const breaks = new RuleBreaks();
  metaBreaks(input, breaks);
  if (!UNITS.has(input.unit)) breaks.add('unit');
  breaks.count('staffInScope', input.staffInScope, true);
  breaks.count('completed', input.completed, true);
  breaks.atMost('completed', input.completed, 'staffInScope', input.staffInScope);
  return breaks.fields;
}

/** Validation agrees with the rules: it accepts exactly when nothing is broken, and names every broken field. */
function expectAgreement(problems: Problem[], broken: Set<string>): void {
  const named = new Set(problems.map((problem) => problem.field));
  expect({ brokenButNotNamed: [...broken].filter((field) => !named.has(field)) }).toEqual({ brokenButNotNamed: [] });
  if (broken.size === 0) expect({ refusedAlthoughValid: problems }).toEqual({ refusedAlthoughValid: [] });
  for (const problem of problems) {
    expect(problem.messages).toEqual({ de: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs: valid by construction, then with some fields replaced by anything the input's shape allows.

/** Missing values, as a CSV row without the cell produces them even for required fields (the types say number). */
const missing = fc.constantFrom(null, undefined) as fc.Arbitrary<never>;

const anyNumber = fc.oneof(
  fc.integer({ min: -5, max: 100 }),
  fc.integer(),
  fc.constantFrom(-1, -0, 0.5, 1 + Number.EPSILON, MAX_COUNT, MAX_COUNT + 1, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, 1e21, 1e300, Infinity, -Infinity, Number.NaN),
  fc.double(),
);
const anyCount = fc.oneof(anyNumber, missing);
const anyYear = fc.oneof(fc.integer({ min: FIRST_YEAR - 3, max: LAST_YEAR + 3 }), fc.constantFrom(1990, 2008, 2100, 2101), anyNumber, missing);

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', '   ', '\t\n', '\u0000', 'Nachmeldung\u0000', '\uD800', '\u202Eabc', '\uFEFF'),
  fc.constantFrom(MAX_SOURCE - 1, MAX_SOURCE, MAX_SOURCE + 1, MAX_REASON - 1, MAX_REASON, MAX_REASON + 1).chain((length) =>
    fc.constantFrom('a', ' ', 'ü', '😀').map((character) => character.repeat(length)),
  ),
  fc.tuple(fc.constantFrom('', '  '), fc.constantFrom('a'.repeat(MAX_REASON), 'b'), fc.constantFrom('', '  ')).map((parts) => parts.join('')),
);
const anyOptionalText = fc.oneof(anyText, missing);
const validKey = fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/);
const anyKey = fc.oneof(validKey, anyText, fc.constantFrom('a'.repeat(128), 'a'.repeat(129), 'has spaces', 'schlüssel'), missing);
const anyUnit = fc.oneof(fc.constantFrom(...UNIT_IDS), fc.constantFrom('__proto__', 'constructor', 'Jobcenter', ' jobcenter', 'jobcenter\u0000'), anyText);

const plausibleCount = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 20_000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, MAX_COUNT) });
// All and nothing often, so that valid inputs sit on the limits (respondents = headcount) and one more breaks them.
const share = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const optionalShare = fc.option(share, { nil: null });
const part = (whole: number, of: number | null) => (of === null ? null : Math.floor(whole * of));

const validMeta: fc.Arbitrary<SubmissionMeta> = fc
  .record({
    year: fc.integer({ min: FIRST_YEAR, max: LAST_YEAR }),
    correctsRevision: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
    reason: fc.option(fc.string({ unit: 'grapheme', maxLength: 60 }), { nil: null }),
    source: fc.option(fc.string({ unit: 'grapheme', maxLength: 60 }), { nil: null }),
    idempotencyKey: fc.option(validKey, { nil: null }),
  })
  .map((meta) => {
    const reason = meta.reason?.replaceAll('\u0000', '') ?? null;
    return {
      ...meta,
      reason: meta.correctsRevision !== null && !reason?.trim() ? 'Nachmeldung' : reason,
      source: meta.source?.replaceAll('\u0000', '') ?? null,
    };
  });

const validStaff = (recordsMigrationHistory: boolean): fc.Arbitrary<StaffSubmission> =>
  fc
    .record({
      meta: validMeta,
      headcount: plausibleCount,
      respondents: optionalShare,
      withMigrationHistory: optionalShare,
      withForeignNationality: optionalShare,
      units: fc.option(
        fc.uniqueArray(
          fc.record({ unit: fc.constantFrom(...UNIT_IDS), headcount: share, respondents: optionalShare, withMigrationHistory: optionalShare }),
          { selector: (unit) => unit.unit, maxLength: 4 },
        ),
        { nil: null },
      ),
    })
    .map(({ meta, headcount, units, ...shares }) => {
      const respondents = part(headcount, shares.respondents);
      const withMigrationHistory = recordsMigrationHistory && respondents !== null ? part(respondents, shares.withMigrationHistory) : null;
      // Each unit gets at most its equal part of every total, so the units never add up to more.
      const equal = units?.length ?? 1;
      return {
        ...meta,
        headcount,
        respondents,
        withMigrationHistory,
        withForeignNationality: part(headcount, shares.withForeignNationality),
        units:
          units?.map((unit): UnitStaffSubmission => {
            const unitHeadcount = Math.floor((headcount * unit.headcount) / equal);
            const unitRespondents = respondents === null ? null : part(Math.min(unitHeadcount, Math.floor(respondents / equal)), unit.respondents);
            const unitMigration =
              withMigrationHistory === null || unitRespondents === null
                ? null
                : part(Math.min(unitRespondents, Math.floor(withMigrationHistory / equal)), unit.withMigrationHistory);
            return { unit: unit.unit, headcount: unitHeadcount, respondents: unitRespondents, withMigrationHistory: unitMigration };
          }) ?? null,
      };
    });

const validNewHires = (recordsMigrationHistory: boolean): fc.Arbitrary<NewHiresSubmission> =>
  fc.tuple(validMeta, plausibleCount, optionalShare).map(([meta, total, migration]) => ({
    ...meta,
    total,
    withMigrationHistory: recordsMigrationHistory ? part(total, migration) : null,
  }));

const validTraineeIntake = (recordsMigrationHistory: boolean): fc.Arbitrary<TraineeIntakeSubmission> =>
  fc.tuple(validMeta, plausibleCount, optionalShare).map(([meta, intake, migration]) => ({
    ...meta,
    intake,
    withMigrationHistory: recordsMigrationHistory ? part(intake, migration) : null,
  }));

const validTraining: fc.Arbitrary<TrainingSubmission> = fc
  .tuple(validMeta, fc.constantFrom(...UNIT_IDS), plausibleCount, share)
  .map(([meta, unit, staffInScope, completed]) => ({ ...meta, unit, staffInScope, completed: Math.floor(staffInScope * completed) }));

const metaFields = { year: anyYear, correctsRevision: anyCount, reason: anyOptionalText, source: anyOptionalText, idempotencyKey: anyKey };

/** One number of the input, or of one of its units, one more or one less: off by one across a limit. */
function nudged<Input>(valid: fc.Arbitrary<Input>): fc.Arbitrary<Input> {
  return fc.tuple(valid, fc.nat(), fc.constantFrom(-1, 1)).map(([input, pick, delta]) => {
    const copy = structuredClone(input) as Record<string, unknown> & { units?: Array<Record<string, unknown>> | null };
    const numbers = [copy, ...(copy.units ?? [])].flatMap((part) =>
      Object.keys(part)
        .filter((key) => typeof part[key] === 'number')
        .map((key) => [part, key] as const),
    );
    const [part, key] = numbers[pick % numbers.length]!;
    part[key] = (part[key] as number) + delta;
    return copy as Input;
  });
}

/**
 * A valid input, or one with a number off by one, or with a single field replaced (the usual mistake), or with
 * any number of fields replaced by anything of the right shape.
 */
function validOrBroken<Input extends object>(valid: fc.Arbitrary<Input>, fields: { [Field in keyof Input]?: fc.Arbitrary<unknown> }): fc.Arbitrary<Input> {
  const entries = Object.entries(fields) as Array<[string, fc.Arbitrary<unknown>]>;
  const oneField = fc.oneof(...entries.map(([field, value]) => fc.record({ [field]: value })));
  const someFields = fc.record(Object.fromEntries(entries), { requiredKeys: [] });
  return fc.oneof(
    valid,
    nudged(valid),
    fc.tuple(valid, oneField).map(([input, replaced]) => ({ ...input, ...replaced })),
    fc.tuple(valid, someFields).map(([input, replaced]) => ({ ...input, ...replaced })),
  );
}

const anyUnitFigures: fc.Arbitrary<UnitStaffSubmission> = fc.record({ unit: anyUnit, headcount: anyCount, respondents: anyCount, withMigrationHistory: anyCount });

const staffInput = (records: boolean) =>
  validOrBroken(validStaff(records), {
    ...metaFields,
    headcount: anyCount,
    respondents: anyCount,
    withMigrationHistory: anyCount,
    withForeignNationality: anyCount,
    units: fc.oneof(fc.array(anyUnitFigures, { maxLength: 5 }), missing),
  });
const newHiresInput = (records: boolean) => validOrBroken(validNewHires(records), { ...metaFields, total: anyCount, withMigrationHistory: anyCount });
const traineeIntakeInput = (records: boolean) => validOrBroken(validTraineeIntake(records), { ...metaFields, intake: anyCount, withMigrationHistory: anyCount });
const trainingInput = validOrBroken(validTraining, { ...metaFields, unit: anyUnit, staffInScope: anyCount, completed: anyCount });

// ---------------------------------------------------------------------------------------------------------------

/** Checks one kind of submission, and that the generated inputs were neither all accepted nor all refused. */
function checkKind<Input>(
  inputs: (recordsMigrationHistory: boolean) => fc.Arbitrary<Input>,
  validate: (input: Input, rules: ValidationRules) => Problem[],
  breaks: (input: Input, recordsMigrationHistory: boolean) => Set<string>,
): void {
  const outcomes = { accepted: 0, refused: 0 };
  fc.assert(
    fc.property(
      fc.boolean().chain((records) => fc.tuple(fc.constant(records), inputs(records))),
      ([recordsMigrationHistory, input]) => {
        const untouched = structuredClone(input);
        const problems = validate(input, rulesFor(recordsMigrationHistory));
        expect(input).toEqual(untouched);
        expectAgreement(problems, breaks(input, recordsMigrationHistory));
        outcomes[problems.length === 0 ? 'accepted' : 'refused'] += 1;
      },
    ),
    RUNS,
  );
  // Otherwise the property would say little: a generator that only ever makes one outcome tests half the rule.
  expect(outcomes.accepted).toBeGreaterThan(NUM_RUNS / 10);
  expect(outcomes.refused).toBeGreaterThan(NUM_RUNS / 10);
}

describe('submission validation agrees with the rules of a valid figure, for any input of the right shape', () => {
  it('staff figures, with and without a breakdown by unit', () => {
    checkKind(staffInput, validateStaff, staffBreaks);
  });

  it('new hires', () => {
    checkKind(newHiresInput, validateNewHires, newHiresBreaks);
  });

  it('trainee intake', () => {
    checkKind(traineeIntakeInput, validateTraineeIntake, traineeIntakeBreaks);
  });

  it('training', () => {
    checkKind(() => trainingInput, validateTraining, (input) => trainingBreaks(input));
  });

  // Found by the properties above; kept as plain examples so that they are checked whatever the seed.
  it.each([
    ['a count PostgreSQL cannot store (a CSV cell of 1e21)', { year: 2020, headcount: 1e21 }, 'headcount'],
    ['a count just above PostgreSQL integer', { year: 2020, headcount: MAX_COUNT + 1 }, 'headcount'],
    ['a source with U+0000, which PostgreSQL text cannot hold', { year: 2020, headcount: 5, source: 'Statistik\u0000' }, 'source'],
    ['a reason with U+0000', { year: 2020, headcount: 5, correctsRevision: 1, reason: '\u0000' }, 'reason'],
    ['a reason with half a surrogate pair, which would be stored as U+FFFD', { year: 2020, headcount: 5, correctsRevision: 1, reason: 'Korrektur \uD83D' }, 'reason'],
  ])('refuses %s', (_case, input, field) => {
    expect(validateStaff(input, rulesFor(true)).map((problem) => problem.field)).toContain(field);
  });

  it('accepts the largest count PostgreSQL can store', () => {
    expect(validateStaff({ year: 2020, headcount: MAX_COUNT }, rulesFor(true))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The CSV import.

const groupThousands = (digits: string, separator: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

describe('parseCount', () => {
  it('reads every whole number back as written, in either convention, with or without grouping and a zero fraction', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.boolean(), fc.boolean(), fc.constantFrom('', '0', '00'), (value, german, grouped, zeros) => {
        const digits = String(Math.abs(value));
        const [group, decimal] = german ? ['.', ','] : [',', '.'];
        const text = `${value < 0 ? '-' : ''}${grouped ? groupThousands(digits, group) : digits}${zeros === '' ? '' : decimal + zeros}`;
        expect(parseCount(text, german)).toEqual({ value });
      }),
      RUNS,
    );
  });

  it('gives a whole number, nothing for an empty cell, or a message: never a fraction, never an exception', () => {
    const numberLike = fc.oneof(
      fc.stringMatching(/^\s?-?[\d.,]{0,25}\s?$/),
      // Fractions too small for a float to keep.
      fc.stringMatching(/^-?\d{1,4}[.,]0{12,20}[1-9]$/),
    );
    fc.assert(
      fc.property(fc.oneof(numberLike, fc.string({ unit: 'binary', maxLength: 30 })), fc.boolean(), (text, german) => {
        const result = parseCount(text, german);
        if ('error' in result) {
          expect(result.error).toEqual({ de: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) });
          return;
        }
        if (text.trim() === '') return expect(result.value).toBeNull();
        expect(Number.isInteger(result.value)).toBe(true);
        // A fraction is refused by its digits, not by the float they round to.
        const fraction = /[.,](\d+)$/.exec(text.trim())?.[1];
        const fractionSeparator = german ? ',' : '.';
        if (fraction !== undefined && text.trim().at(-fraction.length - 1) === fractionSeparator) expect(fraction).toMatch(/^0+$/);
      }),
      RUNS,
    );
  });

  it('refuses a fraction that rounds to a whole number as a float', () => {
    expect(parseCount('1.0000000000000001', false)).toEqual({ error: expect.anything() });
    expect(parseCount('1,0000000000000001', true)).toEqual({ error: expect.anything() });
  });
});

const ALIASES = (table: Record<string, readonly string[]>) => Object.values(table).flat();

/** Cells of every sort: numbers in both conventions (some absurd), kinds, units, and text that breaks the format. */
const csvCell = fc.oneof(
  fc.integer({ min: -10, max: 20_000 }).map(String),
  fc.constantFrom('2010', '2024', '2025', '1.234', '1,234', '12,5', '12.5', '1.0000000000000001', '99999999999', '2.147.483.648', '2147483647', '1e21', 'NaN', '-0', ''),
  fc.constantFrom(...ALIASES(KINDS), ...UNIT_IDS),
  fc.string({ unit: fc.constantFrom('"', ';', ',', '\n', '\r', ' ', 'a', '1', '.', 'ä', '\u0000'), maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

const csvFile = fc
  .record({
    header: fc.oneof(fc.shuffledSubarray(ALIASES(COLUMNS), { minLength: 1, maxLength: 8 }), fc.array(csvCell, { maxLength: 6 })),
    rows: fc.array(fc.array(csvCell, { maxLength: 10 }), { maxLength: 8 }),
    delimiter: fc.constantFrom(';', ','),
    newline: fc.constantFrom('\n', '\r\n'),
    byteOrderMark: fc.boolean(),
  })
  .map(({ header, rows, delimiter, newline, byteOrderMark }) =>
    (byteOrderMark ? '\uFEFF' : '') + [header, ...rows].map((cells) => cells.join(delimiter)).join(newline) + newline,
  );

/** A spreadsheet as HR teams fill it in: well-formed rows whose counts keep their order, now and then a wrong cell. */
const descending = (length: number) => fc.array(fc.integer({ min: 0, max: 9_999 }), { minLength: length, maxLength: length }).map((counts) => counts.sort((a, b) => b - a));
const plausibleCsvFile = fc
  .array(
    fc.record({
      kind: fc.constantFrom('Personal', 'Personal Einheit', 'Neueinstellungen', 'Auszubildende', 'Schulung'),
      year: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: FIRST_YEAR, max: LAST_YEAR }).map(String) }, { weight: 1, arbitrary: csvCell }),
      unit: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...UNIT_IDS) }, { weight: 1, arbitrary: csvCell }),
      staff: descending(3),
      training: descending(2),
      wrongCell: fc.option(fc.tuple(fc.integer({ min: 0, max: 5 }), csvCell), { nil: null, freq: 3 }),
      correction: fc.constantFrom(';', ';', '1;Nachmeldung', '1;', ';Nachmeldung'),
    }),
    { maxLength: 12 },
  )
  .map(
    (rows) =>
      'Art;Jahr;Organisationseinheit;Beschäftigte;Befragte;mit Zuwanderungsgeschichte;Anzahl;Zielgruppe;geschult;korrigierte Revision;Begründung\n' +
      rows
        .map((row) => {
          // headcount >= respondents >= migration history, and the same count of new hires or trainees as staff.
          const counts: string[] = [...row.staff, row.staff[0]!, ...row.training].map(String);
          if (row.wrongCell) counts[row.wrongCell[0]] = row.wrongCell[1];
          return [row.kind, row.year, row.unit, ...counts, row.correction].join(';');
        })
        .join('\n'),
  );

function expectReport(csv: string): ReturnType<typeof parseFiguresCsv> {
  const parsed = parseFiguresCsv(csv);
  for (const problem of parsed.problems) {
    expect(problem).toEqual({
      row: expect.any(Number),
      column: problem.column === null ? null : expect.any(String),
      field: expect.any(String),
      code: 'BAD_USER_INPUT',
      messages: { de: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) },
    });
    expect(Number.isInteger(problem.row) && problem.row >= 1).toBe(true);
  }
  return parsed;
}

describe('parseFiguresCsv', () => {
  it('turns any text into submissions and refused rows, never into an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), csvFile), (csv) => {
        expectReport(csv);
      }),
      RUNS,
    );
  });

  it('passes on only figures that validation either refuses or that keep every rule', () => {
    const outcomes = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fc.oneof(csvFile, plausibleCsvFile), fc.boolean(), (csv, recordsMigrationHistory) => {
        const parsed = expectReport(csv);
        for (const { submission } of parsed.submissions) {
          const problems = validateSubmission(submission, rulesFor(recordsMigrationHistory));
          const broken =
            submission.kind === 'staff'
              ? staffBreaks(submission.input, recordsMigrationHistory)
              : submission.kind === 'newHires'
                ? newHiresBreaks(submission.input, recordsMigrationHistory)
                : submission.kind === 'traineeIntake'
                  ? traineeIntakeBreaks(submission.input, recordsMigrationHistory)
                  : trainingBreaks(submission.input);
          expectAgreement(problems, broken);
          outcomes[problems.length === 0 ? 'accepted' : 'refused'] += 1;
        }
      }),
      RUNS,
    );
    expect(outcomes.accepted).toBeGreaterThan(NUM_RUNS / 10);
    expect(outcomes.refused).toBeGreaterThan(NUM_RUNS / 10);
  });

  it.each([
    ['a quote that is never closed', 'Art;Jahr;Beschäftigte\nPersonal;"2025;9000\n'],
    ['a quote in the middle of a cell', 'kind,year,headcount\nstaff,20"25,9000\n'],
    ['a quote in the header', 'Art;"Jahr"x;Beschäftigte\n'],
  ])('reports %s as a refused row instead of throwing', (_case, csv) => {
    const parsed = expectReport(csv);
    expect(parsed.submissions).toEqual([]);
    expect(parsed.problems).toEqual([expect.objectContaining({ field: 'csv', column: null })]);
  });
});
