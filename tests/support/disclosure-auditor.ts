/**
 * The disclosure auditor: plays the attacker of docs/security.md ("Statistical confidentiality") against what the
 * gateway publishes, with integer linear programming (HiGHS, compiled to WebAssembly: the `highs` package).
 *
 * The attacker sees everything one reader (anonymous, or a forum member) may read through the gateway: every
 * city, year, unit and revision; the counts, shares and rates of every unit and total; annualFigures and the
 * forum-wide progress. It knows the relations between them: per unit withMigrationHistory <= respondents <=
 * headcount, per training row completed <= staffInScope, per column the units add up to at most the city's total,
 * every count is a whole number of at least 0, and a published share or rate is exactly the ratio of its counts.
 * It knows that a zero is never withheld, so every withheld count is at least 1. And it is granted that a cell
 * whose true value did not change between two consecutive revisions of a year is the same unknown in both.
 *
 * For every withheld count it then asks the solver for the smallest and the largest value consistent with all
 * of that. The protection rule: the two are at least 3 apart and the largest is 3 or more. A count where that
 * fails is "pinned". The same holds for the respondents without a migration history in a unit where every
 * respondent has one: a count of 0 there gives each respondent's attribute away.
 *
 * Nothing here comes from services/: the auditor must not share the product's suppression code, or it would
 * check the code against itself. The true, unwithheld figures (an administrator's view) decide only which cells
 * of consecutive revisions are linked, and name true values in the report; they never constrain the attacker.
 */
import loadHighs from 'highs';
import type { GraphQLResponse, QueryOptions } from './federation';

// ---------------------------------------------------------------------------------------------------------------
// What one reader sees

/** A count as published: its value, or null. A null named in `suppressed { field }` is withheld. */
export interface PublishedCount {
  value: number | null;
  withheld: boolean;
}

/** A revision number, or `latest` where the reader may not see revision numbers (anonymous readers). */
export type RevisionLabel = number | 'latest';

export const STAFF_COUNTS = ['headcount', 'respondents', 'withMigrationHistory'] as const;
export const TRAINING_COUNTS = ['staffInScope', 'completed'] as const;
export type StaffCount = (typeof STAFF_COUNTS)[number];
export type TrainingCount = (typeof TRAINING_COUNTS)[number];

export interface UnitStaffRow extends Record<StaffCount, PublishedCount> {
  unit: string;
  /** withMigrationHistory / respondents as published. */
  share: number | null;
}

/** One revision of a year's staff figures: the city's totals and, for members, its units. */
export interface StaffRevision extends Record<StaffCount, PublishedCount> {
  revision: RevisionLabel;
  share: number | null;
  responseRate: number | null;
  units: UnitStaffRow[];
}

/** One revision of one unit's intercultural training. */
export interface TrainingRow extends Record<TrainingCount, PublishedCount> {
  unit: string;
  jobcenter: boolean;
  revision: RevisionLabel;
  completionRate: number | null;
}

export interface AnnualCounts {
  staffRespondents: number | null;
  staffWithMigrationHistory: number | null;
  jobcenterStaffInScope: number | null;
  jobcenterTrainingCompleted: number | null;
}

/** Everything a reader sees of one city's year. The same revision may appear twice (a series and the history). */
export interface CityYear {
  city: string;
  year: number;
  staff: StaffRevision[];
  training: TrainingRow[];
  annual: AnnualCounts | null;
}

export interface ForumYear {
  year: number;
  staff: { respondents: number | null; withMigrationHistory: number | null; pooledShare: number | null; citiesReporting: string[] } | null;
  training: { staffInScope: number | null; completed: number | null; completionRate: number | null; citiesReporting: string[] } | null;
}

/** What one reader sees: the attacker's whole knowledge, or (read as an administrator) the truth. */
export interface Publication {
  reader: string;
  cityYears: CityYear[];
  forumYears: ForumYear[];
}

// ---------------------------------------------------------------------------------------------------------------
// Reading it through the gateway

/** The gateway as the tests reach it (TestFederation). */
export interface Gateway {
  query(document: string, variables?: Record<string, unknown>, options?: QueryOptions): Promise<GraphQLResponse>;
}

/** Who reads: `members` readers may ask for unit breakdowns and revision histories. */
export interface Reader {
  name: string;
  token?: string;
  members: boolean;
}

/**
 * The fields the auditor reads, per type of the schema; tests/unit/disclosure-auditor.test.ts fails when the
 * schema publishes a field of these types that is neither here nor in FIELDS_NOT_ABOUT_COUNTS, so that a figure
 * added later (an interval, a rounded share) cannot escape the attacker.
 */
export const FIELDS_READ: Readonly<Record<string, readonly string[]>> = {
  StaffFigures: ['year', ...STAFF_COUNTS, 'share', 'shareInterval', 'responseRate', 'suppressed', 'byUnit', 'revision'],
  UnitStaffFigures: ['unit', ...STAFF_COUNTS, 'share', 'shareInterval', 'suppressed'],
  TrainingFigures: ['year', 'unit', 'jobcenter', ...TRAINING_COUNTS, 'completionRate', 'suppressed', 'revision'],
  SuppressedValue: ['field'],
  AnnualFigures: ['year', 'staffRespondents', 'staffWithMigrationHistory', 'jobcenterStaffInScope', 'jobcenterTrainingCompleted'],
  StaffProgress: ['respondents', 'withMigrationHistory', 'pooledShare', 'citiesReporting'],
  TrainingProgress: ['staffInScope', 'completed', 'completionRate', 'citiesReporting'],
};

/** Fields of those types that say nothing about a count of a unit or a total it belongs to, and why. */
export const FIELDS_NOT_ABOUT_COUNTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  StaffFigures: {
    withForeignNationality: 'a city-wide count from personnel records, never broken down by unit',
    foreignNationalityShare: 'withForeignNationality / headcount, city-wide',
    target: "the city's target share",
    gapPoints: 'the target share minus the published city share',
    provenance: 'where the figures come from',
    targetStatus: 'shareInterval judged against the target: a function of published counts',
  },
  UnitStaffFigures: { unitName: 'the name of the unit' },
  TrainingFigures: { unitName: 'the name of the unit', provenance: 'where the figures come from' },
  SuppressedValue: { reason: 'ignored on purpose: the attacker relies only on which fields are withheld' },
  AnnualFigures: {
    municipalityId: 'whose figures these are, which the query names anyway',
    traineeIntake: 'city-wide, never broken down by unit',
    traineesWithMigrationHistory: 'city-wide, never broken down by unit',
    staffHeadcount: "the latest revision's city headcount, as StaffFigures.headcount publishes it (null where withheld)",
    staffProvenance: 'where the figures come from',
    traineeProvenance: 'where the figures come from',
    jobcenterTrainingProvenance: 'where the figures come from',
  },
  StaffProgress: {
    year: 'the year asked for',
    targetKind: "how the forum's target is set",
    targetStatus: 'computed by the forum from the cities\' annualFigures as this reader sees them: a function of published counts',
    provenanceMix: 'computed by the forum from the cities\' annualFigures as this reader sees them: a function of published counts',
    weightedEstimate: 'computed by the forum from the cities\' annualFigures as this reader sees them: a function of published counts',
    weightedGapPoints: 'computed by the forum from the cities\' annualFigures as this reader sees them: a function of published counts',
    populationParityShare: 'from the registry\'s population figures, not from counts of staff',
    populationParityDefinitions: 'from the registry',
    populationParityStatus: 'computed by the forum from the cities\' annualFigures as this reader sees them: a function of published counts',
    populationParityBasis: 'from the registry\'s population figures',
    citiesMissing: 'the complement of citiesReporting',
    missing: 'the complement of citiesReporting, with reasons',
    targetShare: "the forum's target",
    gapPoints: 'the target minus pooledShare',
  },
  TrainingProgress: {
    year: 'the year asked for',
    targetKind: "how the forum's target is set",
    targetStatus: 'computed by the forum from the cities\' annualFigures as this reader sees them: a function of published counts',
    provenanceMix: 'computed by the forum from the cities\' annualFigures as this reader sees them: a function of published counts',
    citiesMissing: 'the complement of citiesReporting',
    missing: 'the complement of citiesReporting, with reasons',
    targetShare: "the forum's target",
    gapPoints: 'the target minus completionRate',
  },
};

const UNIT_FIELDS = 'unit headcount respondents withMigrationHistory share shareInterval { lower upper } suppressed { field }';
const staffFields = (members: boolean) =>
  `year headcount respondents withMigrationHistory share shareInterval { lower upper } responseRate suppressed { field }${members ? ` revision { number } byUnit { ${UNIT_FIELDS} }` : ''}`;
const trainingFields = (members: boolean) =>
  `year unit jobcenter staffInScope completed completionRate suppressed { field }${members ? ' revision { number }' : ''}`;

const CITIES = `{ forum { members { id } } }`;
/** Revisions of the given years, as aliased fields of a municipality. */
const historyFields = (years: readonly number[]) =>
  years.map((year) => `staff${year}: staffRevisions(year: ${year}) { ...Staff } training${year}: trainingRevisions(year: ${year}) { ...Training }`).join('\n  ');
const FRAGMENTS = `fragment Staff on StaffFigures { ${staffFields(true)} }
fragment Training on TrainingFigures { ${trainingFields(true)} }`;
/** A city's annual figures, latest revisions, and (for members) the revisions of `historyYears`. */
const cityDocument = (members: boolean, historyYears: readonly number[]) => `query AuditCity($id: ID!, $from: Int, $to: Int) { municipality(id: $id) {
  annualFigures { year staffRespondents staffWithMigrationHistory jobcenterStaffInScope jobcenterTrainingCompleted }
  staffSeries(from: $from, to: $to) { ${staffFields(members)} }
  interculturalTrainingSeries(from: $from, to: $to) { ${trainingFields(members)} }
  ${historyFields(historyYears)}
} }
${historyYears.length > 0 ? FRAGMENTS : ''}`;
/** Years per request of revisions and forum progress: two aliased fields a year, within the gateway's 30 aliases and its cost limit of 3000. */
const YEARS_PER_REQUEST = 8;
const historyDocument = (years: readonly number[]) => `query AuditHistory($id: ID!) { municipality(id: $id) {
  ${historyFields(years)}
} }
${FRAGMENTS}`;
const PROGRESS = 'citiesReporting { id }';
const forumDocument = (years: readonly number[]) => `query AuditForum { forum {
  ${years
    .map(
      (year) =>
        `staff${year}: staffProgress(year: ${year}) { respondents withMigrationHistory pooledShare ${PROGRESS} } ` +
        `training${year}: trainingProgress(year: ${year}) { staffInScope completed completionRate ${PROGRESS} }`,
    )
    .join('\n  ')}
} }`;

function chunks<Item>(items: readonly Item[], size: number): Item[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

interface RawUnit {
  unit: string;
  headcount: number | null;
  respondents: number | null;
  withMigrationHistory: number | null;
  share: number | null;
  shareInterval: { lower: number; upper: number } | null;
  suppressed: Array<{ field: string }>;
}
interface RawStaff {
  year: number;
  headcount: number | null;
  respondents: number | null;
  withMigrationHistory: number | null;
  share: number | null;
  responseRate: number | null;
  shareInterval: { lower: number; upper: number } | null;
  /** The city's totals that are withheld (where no unit count could protect a withheld one). */
  suppressed: Array<{ field: string }>;
  revision?: { number: number };
  byUnit?: RawUnit[] | null;
}
interface RawTraining {
  year: number;
  unit: string;
  jobcenter: boolean;
  staffInScope: number | null;
  completed: number | null;
  completionRate: number | null;
  suppressed: Array<{ field: string }>;
  revision?: { number: number };
}
interface RawAnnual extends AnnualCounts {
  year: number;
}
/** Revisions by aliased field: `staff2024`, `training2024`. */
type Revisions = Record<string, Array<RawStaff & RawTraining> | null | undefined>;

async function ask<Data>(gateway: Gateway, reader: Reader, document: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const response = await gateway.query(document, variables, { token: reader.token });
  if (response.body.errors?.length || !response.body.data) {
    throw new Error(`the auditor's read as ${reader.name} failed (HTTP ${response.status}): ${JSON.stringify(response.body.errors)}`);
  }
  return response.body.data as Data;
}

function published(value: number | null, suppressed: ReadonlyArray<{ field: string }>, field: string): PublishedCount {
  return { value, withheld: value === null && suppressed.some((cell) => cell.field === field) };
}

/** The plain Wilson score interval at 95 %: what an interval may be when the headcount behind it is withheld. */
function plainWilson(successes: number, n: number): { lower: number; upper: number } {
  const z = 1.959964;
  const p = successes / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * An interval is made of its share's counts and, with the finite population correction, the headcount: where one
 * of them is withheld, an interval could tell about it. The auditor refuses to go on rather than leave it out of the
 * attack: none where the share's counts are withheld, only the plain Wilson interval where the headcount is.
 */
function assertIntervalTellsNothingWithheld(
  what: string,
  figures: { respondents: number | null; withMigrationHistory: number | null; shareInterval: { lower: number; upper: number } | null; suppressed: ReadonlyArray<{ field: string }> },
): void {
  const interval = figures.shareInterval;
  if (interval === null) return;
  const withheld = new Set(figures.suppressed.map((cell) => cell.field));
  if (withheld.has('respondents') || withheld.has('withMigrationHistory')) {
    throw new Error(`${what} publishes a share interval although a count of its share is withheld: the auditor has no model for that`);
  }
  if (withheld.has('headcount')) {
    const plain = plainWilson(figures.withMigrationHistory!, figures.respondents!);
    if (Math.abs(plain.lower - interval.lower) > 1e-9 || Math.abs(plain.upper - interval.upper) > 1e-9) {
      throw new Error(`${what} publishes an interval that depends on its withheld headcount: the auditor has no model for that`);
    }
  }
}

function toStaffRevision(raw: RawStaff): StaffRevision {
  assertIntervalTellsNothingWithheld(`the staff figures of ${raw.year}`, raw);
  for (const unit of raw.byUnit ?? []) assertIntervalTellsNothingWithheld(`unit ${unit.unit} in ${raw.year}`, unit);
  const totals = Object.fromEntries(STAFF_COUNTS.map((field) => [field, published(raw[field], raw.suppressed, field)])) as Record<StaffCount, PublishedCount>;
  return {
    revision: raw.revision?.number ?? 'latest',
    ...totals,
    share: raw.share,
    responseRate: raw.responseRate,
    units: (raw.byUnit ?? []).map((unit) => ({
      unit: unit.unit,
      headcount: published(unit.headcount, unit.suppressed, 'headcount'),
      respondents: published(unit.respondents, unit.suppressed, 'respondents'),
      withMigrationHistory: published(unit.withMigrationHistory, unit.suppressed, 'withMigrationHistory'),
      share: unit.share,
    })),
  };
}

function toTrainingRow(raw: RawTraining): TrainingRow {
  return {
    unit: raw.unit,
    jobcenter: raw.jobcenter,
    revision: raw.revision?.number ?? 'latest',
    staffInScope: published(raw.staffInScope, raw.suppressed, 'staffInScope'),
    completed: published(raw.completed, raw.suppressed, 'completed'),
    completionRate: raw.completionRate,
  };
}

/**
 * Reads everything `reader` may see of every city and forum-wide, for the given years (default: every year any
 * city reported). Members also get every revision of every year.
 */
export async function readPublication(gateway: Gateway, reader: Reader, years?: ReadonlySet<number>): Promise<Publication> {
  const { forum } = await ask<{ forum: { members: Array<{ id: string }> } }>(gateway, reader, CITIES);
  const range = years && { from: Math.min(...years), to: Math.max(...years) };
  // With few years asked for, their revisions come with the rest of the city's figures, in one request.
  const historyAtOnce = reader.members && years && years.size <= YEARS_PER_REQUEST ? [...years].sort((a, b) => a - b) : [];
  const cityYears = (
    await Promise.all(
      forum.members.map(async ({ id }) => {
        const { municipality } = await ask<{
          municipality: { annualFigures: RawAnnual[] | null; staffSeries: RawStaff[] | null; interculturalTrainingSeries: RawTraining[] | null } & Revisions;
        }>(gateway, reader, cityDocument(reader.members, historyAtOnce), { id, ...range });
        const reported = [...new Set((municipality.annualFigures ?? []).map((annual) => annual.year))].filter((year) => !years || years.has(year)).sort((a, b) => a - b);
        const staff = (municipality.staffSeries ?? []).filter((row) => reported.includes(row.year));
        const training = (municipality.interculturalTrainingSeries ?? []).filter((row) => reported.includes(row.year));
        const collect = (revisions: Revisions, some: readonly number[]) => {
          for (const year of some) {
            staff.push(...(revisions[`staff${year}`] ?? []));
            training.push(...(revisions[`training${year}`] ?? []));
          }
        };
        collect(municipality, historyAtOnce.filter((year) => reported.includes(year)));
        if (reader.members && historyAtOnce.length === 0) {
          for (const some of chunks(reported, YEARS_PER_REQUEST)) {
            collect((await ask<{ municipality: Revisions }>(gateway, reader, historyDocument(some), { id })).municipality, some);
          }
        }
        return reported.map((year) => ({
          city: id,
          year,
          staff: staff.filter((row) => row.year === year).map(toStaffRevision),
          training: training.filter((row) => row.year === year).map(toTrainingRow),
          annual: municipality.annualFigures?.find((entry) => entry.year === year) ?? null,
        }));
      }),
    )
  ).flat();
  const forumYears: ForumYear[] = [];
  const reporting = (cities: Array<{ id: string }>) => cities.map((city) => city.id);
  for (const some of chunks([...new Set(cityYears.map((cityYear) => cityYear.year))].sort((a, b) => a - b), YEARS_PER_REQUEST)) {
    const { forum: progress } = await ask<{ forum: Record<string, (RawStaffProgress & RawTrainingProgress) | null> }>(gateway, reader, forumDocument(some));
    for (const year of some) {
      const staff = progress[`staff${year}`];
      const training = progress[`training${year}`];
      forumYears.push({
        year,
        staff: staff ? { respondents: staff.respondents, withMigrationHistory: staff.withMigrationHistory, pooledShare: staff.pooledShare, citiesReporting: reporting(staff.citiesReporting) } : null,
        training: training
          ? { staffInScope: training.staffInScope, completed: training.completed, completionRate: training.completionRate, citiesReporting: reporting(training.citiesReporting) }
          : null,
      });
    }
  }
  return { reader: reader.name, cityYears, forumYears };
}

interface RawStaffProgress {
  respondents: number | null;
  withMigrationHistory: number | null;
  pooledShare: number | null;
  citiesReporting: Array<{ id: string }>;
}
interface RawTrainingProgress {
  staffInScope: number | null;
  completed: number | null;
  completionRate: number | null;
  citiesReporting: Array<{ id: string }>;
}

// ---------------------------------------------------------------------------------------------------------------
// The attacker's integer programme

/** Where a count is published; `unit` null is the city's total. */
export interface CellLabel {
  city: string;
  year: number;
  table: 'staff' | 'training';
  revision: RevisionLabel;
  unit: string | null;
  field: string;
}

/** An unknown of the programme: a withheld count, or the whole number a published ratio is a multiple of. */
interface Variable {
  lower: number;
  upper: number;
  /** The value in the true figures; every fact must hold for these, or the attacker's model is wrong. */
  trueValue: number;
  description: string;
}

/** `Σ coefficient · variable + constant`. */
interface Linear {
  terms: Map<number, number>;
  constant: number;
}

/** `expression <= 0` or `expression = 0`. */
interface Fact {
  expression: Linear;
  sense: '<=' | '=';
  origin: string;
}

/** Something the attacker must not narrow down: a withheld count, or respondents without a migration history. */
export interface Target {
  kind: 'withheld count' | 'respondents without a migration history';
  label: CellLabel;
  objective: Linear;
  trueValue: number;
}

export interface AttackSystem {
  reader: string;
  variables: Variable[];
  facts: Fact[];
  targets: Target[];
}

/** No count is near this; it stands for "no upper bound", which HiGHS needs finite. */
export const UNBOUNDED = 1_000_000_000;

const keyOf = (label: CellLabel) => `${label.city}/${label.year}/${label.table}/${label.revision}/${label.unit ?? 'total'}/${label.field}`;

export function describeLabel(label: CellLabel): string {
  const revision = label.revision === 'latest' ? 'latest revision' : `revision ${label.revision}`;
  return `${label.city} ${label.year} ${label.table} ${revision} ${label.unit ?? 'city total'} ${label.field}`;
}

const linear = (constant = 0): Linear => ({ terms: new Map(), constant });

function add(target: Linear, source: Linear, factor = 1): Linear {
  for (const [variable, coefficient] of source.terms) {
    const sum = (target.terms.get(variable) ?? 0) + factor * coefficient;
    if (sum === 0) target.terms.delete(variable);
    else target.terms.set(variable, sum);
  }
  target.constant += factor * source.constant;
  return target;
}

const difference = (left: Linear, right: Linear) => add(add(linear(), left), right, -1);
const sum = (parts: readonly Linear[]) => parts.reduce((total, part) => add(total, part), linear());

/** The fraction p/q in lowest terms that `ratio` is exactly (as a double), if q is at most `maxDenominator`. */
export function exactFraction(ratio: number, maxDenominator = UNBOUNDED): { numerator: number; denominator: number } | null {
  if (!Number.isFinite(ratio) || ratio < 0) return null;
  // Continued fraction convergents of the double: the first that divides back to exactly `ratio` is the count
  // ratio in lowest terms, since two fractions with denominators below 10^7 lie at least 10^-14 apart.
  let [p0, q0, p1, q1] = [0, 1, 1, 0];
  let rest = ratio;
  for (let step = 0; step < 64; step += 1) {
    const whole = Math.floor(rest);
    [p0, q0, p1, q1] = [p1, q1, whole * p1 + p0, whole * q1 + q0];
    if (q1 > maxDenominator) return null;
    if (p1 / q1 === ratio) return { numerator: p1, denominator: q1 };
    if (rest === whole) return null;
    rest = 1 / (rest - whole);
  }
  return null;
}

/** Cells by key, merged over every place a reader saw them: a value seen anywhere is known. */
function cellsOf(publication: Publication): Map<string, { label: CellLabel; count: PublishedCount }> {
  const cells = new Map<string, { label: CellLabel; count: PublishedCount }>();
  const see = (label: CellLabel, count: PublishedCount) => {
    if (count.value === null && !count.withheld) return;
    const key = keyOf(label);
    const earlier = cells.get(key);
    if (earlier && earlier.count.value !== null && count.value !== null && earlier.count.value !== count.value) {
      throw new Error(`${publication.reader} sees ${describeLabel(label)} as both ${earlier.count.value} and ${count.value}`);
    }
    if (!earlier || earlier.count.value === null) cells.set(key, { label, count });
  };
  for (const cityYear of publication.cityYears) {
    const { city, year } = cityYear;
    for (const staff of cityYear.staff) {
      for (const field of STAFF_COUNTS) {
        see({ city, year, table: 'staff', revision: staff.revision, unit: null, field }, staff[field]);
        for (const unit of staff.units) see({ city, year, table: 'staff', revision: staff.revision, unit: unit.unit, field }, unit[field]);
      }
    }
    for (const row of cityYear.training) {
      for (const field of TRAINING_COUNTS) see({ city, year, table: 'training', revision: row.revision, unit: row.unit, field }, row[field]);
    }
  }
  return cells;
}

/** The true value of every cell, also under `latest` for the latest revision, as anonymous readers label it. */
function truthOf(truth: Publication): Map<string, number> {
  const values = new Map<string, number>();
  for (const { label, count } of cellsOf(truth).values()) {
    if (count.value === null) throw new Error(`the true figures withhold ${describeLabel(label)}: read them as an administrator`);
    values.set(keyOf(label), count.value);
  }
  for (const cityYear of truth.cityYears) {
    const { city, year } = cityYear;
    const latestStaff = latestOf(cityYear.staff.map((staff) => staff.revision));
    for (const staff of cityYear.staff.filter((entry) => entry.revision === latestStaff)) {
      for (const field of STAFF_COUNTS) {
        for (const unit of [null, ...staff.units.map((entry) => entry.unit)]) {
          const value = values.get(keyOf({ city, year, table: 'staff', revision: staff.revision, unit, field }));
          if (value !== undefined) values.set(keyOf({ city, year, table: 'staff', revision: 'latest', unit, field }), value);
        }
      }
    }
    for (const unit of new Set(cityYear.training.map((row) => row.unit))) {
      const latest = latestOf(cityYear.training.filter((row) => row.unit === unit).map((row) => row.revision));
      for (const field of TRAINING_COUNTS) {
        const value = values.get(keyOf({ city, year, table: 'training', revision: latest, unit, field }));
        if (value !== undefined) values.set(keyOf({ city, year, table: 'training', revision: 'latest', unit, field }), value);
      }
    }
  }
  return values;
}

function latestOf(revisions: readonly RevisionLabel[]): RevisionLabel {
  const numbers = revisions.filter((revision): revision is number => revision !== 'latest');
  return numbers.length > 0 ? Math.max(...numbers) : 'latest';
}

const numbered = (revisions: readonly RevisionLabel[]) =>
  [...new Set(revisions.filter((revision): revision is number => revision !== 'latest'))].sort((a, b) => a - b);

/**
 * The attacker's integer programme for everything `published` shows. `truth` (an administrator's reading of the
 * same scope) decides which cells of consecutive revisions are linked, gives each withheld cell its true value
 * for the report, and is used to check that every fact holds for the true figures; it never adds a constraint.
 */
export function buildSystem(published: Publication, truth: Publication): AttackSystem {
  const cells = cellsOf(published);
  const trueValues = truthOf(truth);
  const variables: Variable[] = [];
  const facts: Fact[] = [];
  const targets: Target[] = [];
  const variableOf = new Map<string, number>();

  const trueValueOf = (label: CellLabel) => {
    const value = trueValues.get(keyOf(label));
    if (value === undefined) throw new Error(`no true value for ${describeLabel(label)}`);
    return value;
  };

  // Every withheld cell is an unknown whole number of at least 1 (a zero is never withheld).
  for (const [key, { label, count }] of cells) {
    if (count.value !== null) continue;
    const trueValue = trueValueOf(label);
    variableOf.set(key, variables.length);
    const objective: Linear = { terms: new Map([[variables.length, 1]]), constant: 0 };
    variables.push({ lower: 1, upper: UNBOUNDED, trueValue, description: describeLabel(label) });
    targets.push({ kind: 'withheld count', label, objective, trueValue });
  }

  /** The cell as the attacker knows it: a constant, an unknown, or null when it is not recorded at all. */
  const cell = (label: CellLabel): Linear | null => {
    const key = keyOf(label);
    const variable = variableOf.get(key);
    if (variable !== undefined) return { terms: new Map([[variable, 1]]), constant: 0 };
    const known = cells.get(key);
    return known ? linear(known.count.value!) : null;
  };
  const fact = (expression: Linear, sense: Fact['sense'], origin: string) => facts.push({ expression, sense, origin });
  const atMost = (part: Linear | null, whole: Linear | null, origin: string) => {
    if (part && whole) fact(difference(part, whole), '<=', origin);
  };
  const equal = (left: Linear | null, right: Linear | null, origin: string) => {
    if (left && right) fact(difference(left, right), '=', origin);
  };
  /** A published ratio n/d = p/q in lowest terms: n = p·k and d = q·k for a whole number k >= 1. */
  const ratio = (numerator: Linear | null, denominator: Linear | null, value: number | null, origin: string) => {
    if (value === null || !numerator || !denominator) return;
    const fraction = exactFraction(value);
    if (!fraction) throw new Error(`${origin}: ${value} is no exact ratio of counts; the attacker's model must learn how it is rounded`);
    const trueDenominator = evaluate(denominator, variables);
    const trueMultiple = trueDenominator / fraction.denominator;
    if (!Number.isInteger(trueMultiple) || evaluate(numerator, variables) !== fraction.numerator * trueMultiple) {
      throw new Error(`${origin}: the published ${value} is not the true ratio; the attacker's model must learn how it is computed`);
    }
    const multiple = variables.length;
    variables.push({ lower: 1, upper: UNBOUNDED, trueValue: trueMultiple, description: `${origin}: multiple of ${fraction.numerator}/${fraction.denominator}` });
    const k: Linear = { terms: new Map([[multiple, 1]]), constant: 0 };
    fact(difference(numerator, add(linear(), k, fraction.numerator)), '=', origin);
    fact(difference(denominator, add(linear(), k, fraction.denominator)), '=', origin);
  };

  const latestTrainingOf = (cityYear: CityYear) =>
    [...new Set(cityYear.training.map((row) => row.unit))].map((unit) => {
      const rows = cityYear.training.filter((row) => row.unit === unit);
      return { unit, jobcenter: rows.some((row) => row.jobcenter), revision: latestOf(rows.map((row) => row.revision)) };
    });
  const jobcenterSum = (cityYear: CityYear, field: TrainingCount) => {
    const { city, year } = cityYear;
    const parts = latestTrainingOf(cityYear)
      .filter((row) => row.jobcenter)
      .map((row) => cell({ city, year, table: 'training', revision: row.revision, unit: row.unit, field }));
    return parts.length === 0 || parts.some((part) => part === null) ? null : sum(parts as Linear[]);
  };
  const latestStaffTotal = (cityYear: CityYear, field: StaffCount) =>
    cityYear.staff.length === 0
      ? null
      : cell({ city: cityYear.city, year: cityYear.year, table: 'staff', revision: latestOf(cityYear.staff.map((staff) => staff.revision)), unit: null, field });

  for (const cityYear of published.cityYears.map(withoutRepeats)) {
    const { city, year } = cityYear;
    const staffCell = (revision: RevisionLabel, unit: string | null, field: string) => cell({ city, year, table: 'staff', revision, unit, field });
    const trainingCell = (revision: RevisionLabel, unit: string, field: string) => cell({ city, year, table: 'training', revision, unit, field });

    for (const staff of cityYear.staff) {
      const where = `${city} ${year} staff revision ${staff.revision}`;
      for (const unit of staff.units) {
        const [headcount, respondents, migration] = STAFF_COUNTS.map((field) => staffCell(staff.revision, unit.unit, field));
        atMost(migration!, respondents!, `${where} ${unit.unit}: withMigrationHistory <= respondents`);
        atMost(respondents!, headcount!, `${where} ${unit.unit}: respondents <= headcount`);
        if (!respondents) atMost(migration!, headcount!, `${where} ${unit.unit}: withMigrationHistory <= headcount`);
        ratio(migration!, respondents!, unit.share, `${where} ${unit.unit}: share`);
      }
      for (const field of STAFF_COUNTS) {
        const parts = staff.units.flatMap((unit) => staffCell(staff.revision, unit.unit, field) ?? []);
        if (parts.length > 0) atMost(sum(parts), staffCell(staff.revision, null, field), `${where}: the units' ${field} add up to at most the total`);
      }
      ratio(staffCell(staff.revision, null, 'withMigrationHistory'), staffCell(staff.revision, null, 'respondents'), staff.share, `${where}: share`);
      ratio(staffCell(staff.revision, null, 'respondents'), staffCell(staff.revision, null, 'headcount'), staff.responseRate, `${where}: responseRate`);
    }

    for (const row of cityYear.training) {
      const where = `${city} ${year} training revision ${row.revision} ${row.unit}`;
      const [inScope, completed] = TRAINING_COUNTS.map((field) => trainingCell(row.revision, row.unit, field));
      atMost(completed!, inScope!, `${where}: completed <= staffInScope`);
      ratio(completed!, inScope!, row.completionRate, `${where}: completionRate`);
    }

    if (cityYear.annual) {
      const where = `${city} ${year} annualFigures`;
      const { staffRespondents, staffWithMigrationHistory, jobcenterStaffInScope, jobcenterTrainingCompleted } = cityYear.annual;
      if (staffRespondents !== null) equal(latestStaffTotal(cityYear, 'respondents'), linear(staffRespondents), `${where}: staffRespondents`);
      if (staffWithMigrationHistory !== null) {
        equal(latestStaffTotal(cityYear, 'withMigrationHistory'), linear(staffWithMigrationHistory), `${where}: staffWithMigrationHistory`);
      }
      if (jobcenterStaffInScope !== null) equal(jobcenterSum(cityYear, 'staffInScope'), linear(jobcenterStaffInScope), `${where}: jobcenterStaffInScope`);
      if (jobcenterTrainingCompleted !== null) {
        equal(jobcenterSum(cityYear, 'completed'), linear(jobcenterTrainingCompleted), `${where}: jobcenterTrainingCompleted`);
      }
    }

    // Consecutive revisions: a cell whose true value stayed the same is the same unknown in both.
    const staffRevisions = numbered(cityYear.staff.map((staff) => staff.revision));
    staffRevisions.slice(1).forEach((later, index) => {
      const earlier = staffRevisions[index]!;
      const units = new Set(cityYear.staff.flatMap((staff) => staff.units.map((unit) => unit.unit)));
      for (const unit of [null, ...units]) {
        for (const field of STAFF_COUNTS) {
          const before = trueValues.get(keyOf({ city, year, table: 'staff', revision: earlier, unit, field }));
          const after = trueValues.get(keyOf({ city, year, table: 'staff', revision: later, unit, field }));
          if (before !== undefined && before === after) {
            equal(staffCell(earlier, unit, field), staffCell(later, unit, field), `${city} ${year} staff ${unit ?? 'total'} ${field}: unchanged from revision ${earlier} to ${later}`);
          }
        }
      }
    });
    for (const unit of new Set(cityYear.training.map((row) => row.unit))) {
      const revisions = numbered(cityYear.training.filter((row) => row.unit === unit).map((row) => row.revision));
      revisions.slice(1).forEach((later, index) => {
        const earlier = revisions[index]!;
        for (const field of TRAINING_COUNTS) {
          const before = trueValues.get(keyOf({ city, year, table: 'training', revision: earlier, unit, field }));
          const after = trueValues.get(keyOf({ city, year, table: 'training', revision: later, unit, field }));
          if (before !== undefined && before === after) {
            equal(trainingCell(earlier, unit, field), trainingCell(later, unit, field), `${city} ${year} training ${unit} ${field}: unchanged from revision ${earlier} to ${later}`);
          }
        }
      });
    }

    // A unit where every respondent has a migration history: the count of those without one (0) is protected too.
    for (const revision of new Set(cityYear.staff.map((staff) => staff.revision))) {
      for (const unit of new Set(cityYear.staff.filter((staff) => staff.revision === revision).flatMap((staff) => staff.units.map((entry) => entry.unit)))) {
        const label = (field: StaffCount): CellLabel => ({ city, year, table: 'staff', revision, unit, field });
        const respondents = trueValues.get(keyOf(label('respondents')));
        const migration = trueValues.get(keyOf(label('withMigrationHistory')));
        const [shownRespondents, shownMigration] = [cell(label('respondents')), cell(label('withMigrationHistory'))];
        if (respondents === undefined || respondents < 1 || migration !== respondents || !shownRespondents || !shownMigration) continue;
        targets.push({
          kind: 'respondents without a migration history',
          label: { ...label('respondents'), field: 'respondents - withMigrationHistory' },
          objective: difference(shownRespondents, shownMigration),
          trueValue: 0,
        });
      }
    }
  }

  const citiesByYear = new Map<number, Map<string, CityYear>>();
  for (const cityYear of published.cityYears) {
    citiesByYear.set(cityYear.year, (citiesByYear.get(cityYear.year) ?? new Map()).set(cityYear.city, cityYear));
  }
  for (const forumYear of published.forumYears) {
    const cities = citiesByYear.get(forumYear.year) ?? new Map<string, CityYear>();
    const where = `forum ${forumYear.year}`;
    const pooled = (reporting: readonly string[], part: (cityYear: CityYear) => Linear | null) => {
      const parts = reporting.map((city) => {
        const cityYear = cities.get(city);
        return cityYear ? part(cityYear) : null;
      });
      return parts.some((entry) => entry === null) ? null : sum(parts as Linear[]);
    };
    if (forumYear.training) {
      const { staffInScope, completed, completionRate, citiesReporting } = forumYear.training;
      const inScope = pooled(citiesReporting, (cityYear) => jobcenterSum(cityYear, 'staffInScope'));
      const trained = pooled(citiesReporting, (cityYear) => jobcenterSum(cityYear, 'completed'));
      if (staffInScope !== null) equal(inScope, linear(staffInScope), `${where} trainingProgress.staffInScope`);
      if (completed !== null) equal(trained, linear(completed), `${where} trainingProgress.completed`);
      ratio(trained, inScope, completionRate, `${where} trainingProgress.completionRate`);
    }
    if (forumYear.staff) {
      const { respondents, withMigrationHistory, pooledShare, citiesReporting } = forumYear.staff;
      const asked = pooled(citiesReporting, (cityYear) => latestStaffTotal(cityYear, 'respondents'));
      const migration = pooled(citiesReporting, (cityYear) => latestStaffTotal(cityYear, 'withMigrationHistory'));
      if (respondents !== null) equal(asked, linear(respondents), `${where} staffProgress.respondents`);
      if (withMigrationHistory !== null) equal(migration, linear(withMigrationHistory), `${where} staffProgress.withMigrationHistory`);
      ratio(migration, asked, pooledShare, `${where} staffProgress.pooledShare`);
    }
  }

  // The attacker's facts are true statements about the published figures: each must hold for the true ones.
  for (const { lower, upper, trueValue, description } of variables) {
    if (trueValue < lower || trueValue > upper) {
      throw new Error(`${description} is ${trueValue}, outside the attacker's bounds [${lower}, ${upper}]: is a zero withheld?`);
    }
  }
  for (const { expression, sense, origin } of facts) {
    const value = evaluate(expression, variables);
    if (sense === '=' ? value !== 0 : value > 0) throw new Error(`the attacker's fact "${origin}" does not hold for the true figures (${value} ${sense} 0)`);
  }
  return { reader: published.reader, variables, facts, targets };
}

/**
 * A city's year with each revision once: members see the latest revision both in a series and in the history.
 * The cells are merged by `cellsOf`; here the rows are, keeping any share or rate that either shows.
 */
function withoutRepeats(cityYear: CityYear): CityYear {
  const staff = new Map<RevisionLabel, StaffRevision>();
  for (const entry of cityYear.staff) {
    const seen = staff.get(entry.revision);
    if (!seen) {
      staff.set(entry.revision, { ...entry, units: entry.units.map((unit) => ({ ...unit })) });
      continue;
    }
    seen.share ??= entry.share;
    seen.responseRate ??= entry.responseRate;
    for (const unit of entry.units) {
      const known = seen.units.find((candidate) => candidate.unit === unit.unit);
      if (known) known.share ??= unit.share;
      else seen.units.push({ ...unit });
    }
  }
  const training = new Map<string, TrainingRow>();
  for (const row of cityYear.training) {
    const key = `${row.unit}/${row.revision}`;
    const seen = training.get(key);
    if (seen) seen.completionRate ??= row.completionRate;
    else training.set(key, { ...row });
  }
  return { ...cityYear, staff: [...staff.values()], training: [...training.values()] };
}

function evaluate(expression: Linear, variables: readonly Variable[]): number {
  let value = expression.constant;
  for (const [variable, coefficient] of expression.terms) value += coefficient * variables[variable]!.trueValue;
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Solving

/** What the attacker can narrow a target down to. */
export interface Finding {
  reader: string;
  target: Target;
  min: number;
  max: number;
  pinned: boolean;
}

/** The protection rule of docs/security.md: at least 3 apart, and the largest value 3 or more. */
export const MINIMUM_SPREAD = 3;

const highs = loadHighs();

/**
 * Minimises and maximises every target over the whole numbers, subject to every fact. The programme splits into
 * independent parts (a city's year of one table, or more where forum-wide totals tie them); each target is
 * solved within its own part.
 */
export async function attack(system: AttackSystem): Promise<Finding[]> {
  const solver = await highs;
  const parent = system.variables.map((_, index) => index);
  const root = (variable: number): number => {
    while (parent[variable] !== variable) variable = parent[variable] = parent[parent[variable]!]!;
    return variable;
  };
  const join = (expression: Linear) => {
    const [first, ...rest] = [...expression.terms.keys()];
    for (const other of rest) parent[root(other)] = root(first!);
  };
  for (const fact of system.facts) join(fact.expression);
  for (const target of system.targets) join(target.objective);

  const partOf = new Map<number, { variables: number[]; facts: Fact[] }>();
  system.variables.forEach((_, variable) => {
    const part = partOf.get(root(variable)) ?? { variables: [], facts: [] };
    part.variables.push(variable);
    partOf.set(root(variable), part);
  });
  for (const fact of system.facts) {
    const [first] = fact.expression.terms.keys();
    if (first === undefined) {
      const value = fact.expression.constant;
      if (fact.sense === '=' ? value !== 0 : value > 0) throw new Error(`the published figures contradict "${fact.origin}" (${value} ${fact.sense} 0)`);
      continue;
    }
    partOf.get(root(first))!.facts.push(fact);
  }
  const constraintsOf = new Map<number, string>();

  return system.targets.map((target) => {
    const [first] = target.objective.terms.keys();
    if (first === undefined) {
      const value = target.objective.constant;
      return finding(system.reader, target, value, value);
    }
    const part = partOf.get(root(first))!;
    let constraints = constraintsOf.get(root(first));
    if (constraints === undefined) {
      constraints = lpConstraints(part.variables, part.facts, system.variables);
      constraintsOf.set(root(first), constraints);
    }
    const [min, max] = (['Minimize', 'Maximize'] as const).map((sense) => {
      const program = `${sense}\n obj: ${lpTerms(target.objective)}\n${constraints}`;
      const result = solver.solve(program, { output_flag: false, mip_rel_gap: 0 });
      if (result.Status !== 'Optimal') throw new Error(`HiGHS: ${result.Status} for ${describeLabel(target.label)}:\n${program}`);
      return Math.round(result.ObjectiveValue) + target.objective.constant;
    });
    return finding(system.reader, target, min!, max!);
  });
}

function finding(reader: string, target: Target, min: number, max: number): Finding {
  return { reader, target, min, max, pinned: max - min < MINIMUM_SPREAD || max < MINIMUM_SPREAD };
}

const lpName = (variable: number) => `x${variable}`;

function lpTerms(expression: Linear): string {
  const terms = [...expression.terms].map(([variable, coefficient]) => `${coefficient < 0 ? '-' : '+'} ${Math.abs(coefficient)} ${lpName(variable)}`);
  return terms.join(' ').replace(/^\+ /, '');
}

/** The CPLEX LP text of one part after its objective: constraints, bounds and integrality. */
function lpConstraints(partVariables: readonly number[], facts: readonly Fact[], variables: readonly Variable[]): string {
  const rows = facts.map((fact, index) => ` c${index}: ${lpTerms(fact.expression)} ${fact.sense} ${-fact.expression.constant}`);
  const bounds = partVariables.map((variable) => ` ${variables[variable]!.lower} <= ${lpName(variable)} <= ${variables[variable]!.upper}`);
  return ['Subject To', ...rows, 'Bounds', ...bounds, 'General', ` ${partVariables.map(lpName).join(' ')}`, 'End'].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

export function describeFinding(finding: Finding): string {
  const { target, min, max } = finding;
  const range = `[${min}, ${max >= UNBOUNDED ? 'unbounded' : max}]`;
  return `${finding.reader}: ${describeLabel(target.label)} (${target.kind}) is ${target.trueValue}; the attacker narrows it to ${range}`;
}

export interface AuditResult {
  findings: Finding[];
  pinned: Finding[];
  /** One line per reader: how many of its withheld counts (and fully disclosed units) are pinned. */
  summary: string[];
}

/**
 * Reads what each attacker sees and the truth (an administrator's view) through the gateway, and attacks:
 * every city, or only the given years (all cities of a year, since forum-wide totals tie them together).
 */
export async function audit(gateway: Gateway, attackers: readonly Reader[], truthReader: Reader, years?: ReadonlySet<number>): Promise<AuditResult> {
  const [truth, ...publications] = await Promise.all([truthReader, ...attackers].map((reader) => readPublication(gateway, reader, years)));
  const findings: Finding[] = [];
  const summary: string[] = [];
  for (const [index, reader] of attackers.entries()) {
    const own = await attack(buildSystem(publications[index]!, truth!));
    findings.push(...own);
    for (const kind of ['withheld count', 'respondents without a migration history'] as const) {
      for (const table of ['staff', 'training'] as const) {
        const counted = own.filter((entry) => entry.target.kind === kind && entry.target.label.table === table);
        if (counted.length > 0) summary.push(`${reader.name}: ${counted.filter((entry) => entry.pinned).length} of ${counted.length} ${table} (${kind}) pinned`);
      }
    }
  }
  return { findings, pinned: findings.filter((entry) => entry.pinned), summary };
}
