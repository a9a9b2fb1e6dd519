import type { Messages } from '../../common/messages';
import type { Problem } from '../../common/validation-error';
import type {
  AnySubmission,
  NewHiresSubmission,
  StaffSubmission,
  SubmissionMeta,
  TraineeIntakeSubmission,
  TrainingSubmission,
} from './submission';

export type { Problem };

export interface ValidationRules {
  /** The first year a city reports for the forum: the year it joined, never before the cooperation began (2008). */
  firstYear: number;
  /** The current year. */
  lastYear: number;
  units: ReadonlyMap<string, { name: string }>;
  /** False where the city records nationality only: then it cannot submit migration history. */
  recordsMigrationHistory: boolean;
}

const LABELS: Record<string, Messages> = {
  year: { de: 'Jahr', en: 'year' },
  headcount: { de: 'Beschäftigte', en: 'headcount' },
  respondents: { de: 'Befragte', en: 'respondents' },
  withMigrationHistory: { de: 'mit Zuwanderungsgeschichte', en: 'withMigrationHistory' },
  withForeignNationality: { de: 'ausländische Staatsangehörigkeit', en: 'withForeignNationality' },
  total: { de: 'Neueinstellungen', en: 'total' },
  intake: { de: 'Auszubildende', en: 'intake' },
  staffInScope: { de: 'Zielgruppe', en: 'staffInScope' },
  completed: { de: 'geschult', en: 'completed' },
  unit: { de: 'Organisationseinheit', en: 'unit' },
  correctsRevision: { de: 'korrigierte Revision', en: 'correctsRevision' },
  reason: { de: 'Begründung', en: 'reason' },
  source: { de: 'Quelle', en: 'source' },
  idempotencyKey: { de: 'Idempotenzschlüssel', en: 'idempotencyKey' },
};

const label = (field: string) => LABELS[field] ?? { de: field, en: field };

const MAX_REASON = 2000;
const MAX_SOURCE = 500;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
/** The figures' columns are PostgreSQL `integer`. GraphQL's Int has the same limit; a CSV cell has none. */
const MAX_COUNT = 2_147_483_647;

/**
 * PostgreSQL text cannot hold U+0000 (the write would fail instead of the value being refused), and a lone half of
 * a surrogate pair would be stored as U+FFFD: the text kept would not be the text submitted.
 */
const storable = (text: string) => !text.includes('\u0000') && text.isWellFormed();

/** Collects problems; `within` reports on a nested part (a unit of a breakdown) into the same list. */
class Problems {
  /** Fields already refused: comparisons with them would only repeat the problem. */
  private readonly invalid = new Set<string>();

  constructor(
    readonly list: Problem[] = [],
    private readonly prefix = '',
  ) {}

  add(field: string, messages: Messages): void {
    this.invalid.add(field);
    this.list.push({ field: `${this.prefix}${field}`, messages });
  }

  within(prefix: string): Problems {
    return new Problems(this.list, `${this.prefix}${prefix}`);
  }

  /** A count: a whole number of at least 0. GraphQL already guarantees whole numbers; CSV does not. */
  count(field: string, value: number | null | undefined, required: boolean): value is number {
    if (value === null || value === undefined) {
      if (required) this.add(field, { de: `${label(field).de} fehlt.`, en: `${label(field).en} is missing.` });
      return false;
    }
    if (!Number.isInteger(value)) {
      this.add(field, { de: `${label(field).de} muss eine ganze Zahl sein (${value}).`, en: `${label(field).en} must be a whole number (${value}).` });
      return false;
    }
    if (value < 0) {
      this.add(field, { de: `${label(field).de} darf nicht negativ sein (${value}).`, en: `${label(field).en} must not be negative (${value}).` });
      return false;
    }
    if (value > MAX_COUNT) {
      this.add(field, { de: `${label(field).de} ist zu groß (${value}); höchstens ${MAX_COUNT}.`, en: `${label(field).en} is too large (${value}); at most ${MAX_COUNT}.` });
      return false;
    }
    return true;
  }

  /** `part <= whole`, reported on the part. */
  notAbove(partField: string, part: number | null | undefined, wholeField: string, whole: number | null | undefined): void {
    if (part == null || whole == null || part <= whole || this.invalid.has(partField) || this.invalid.has(wholeField)) return;
    this.add(partField, {
      de: `${label(partField).de} (${part}) darf nicht größer sein als ${label(wholeField).de} (${whole}).`,
      en: `${label(partField).en} (${part}) must not exceed ${label(wholeField).en} (${whole}).`,
    });
  }

  needs(field: string, value: unknown, neededField: string, needed: unknown): void {
    if (value == null || needed != null) return;
    this.add(field, { de: `${label(field).de} braucht ${label(neededField).de}.`, en: `${label(field).en} needs ${label(neededField).en}.` });
  }

  unit(field: string, unit: string, rules: ValidationRules): void {
    if (rules.units.has(unit)) return;
    const known = [...rules.units.keys()].join(', ');
    this.add(field, {
      de: `Unbekannte Organisationseinheit "${unit}"; bekannt sind: ${known}.`,
      en: `Unknown organisational unit "${unit}"; known: ${known}.`,
    });
  }

  migrationHistoryRecorded(field: string, value: number | null | undefined, rules: ValidationRules): void {
    if (value == null || rules.recordsMigrationHistory) return;
    this.add(field, {
      de: 'Diese Stadt erhebt keine Zuwanderungsgeschichte (Mitgliederverzeichnis); der Wert bleibt leer.',
      en: 'This city does not record migration history (member registry); leave the value empty.',
    });
  }
}

function validateMeta(input: SubmissionMeta, rules: ValidationRules, problems: Problems): void {
  if (!Number.isInteger(input.year) || input.year < rules.firstYear || input.year > rules.lastYear) {
    problems.add('year', {
      de: `Das Jahr muss zwischen ${rules.firstYear} und ${rules.lastYear} liegen (${input.year}).`,
      en: `The year must be between ${rules.firstYear} and ${rules.lastYear} (${input.year}).`,
    });
  }
  if (input.correctsRevision != null && (!Number.isInteger(input.correctsRevision) || input.correctsRevision < 1)) {
    problems.add('correctsRevision', {
      de: `Die korrigierte Revision ist eine Zahl ab 1 (${input.correctsRevision}).`,
      en: `correctsRevision is a number from 1 (${input.correctsRevision}).`,
    });
  }
  const reason = input.reason?.trim() ?? '';
  if (input.correctsRevision != null && reason === '') {
    problems.add('reason', { de: 'Eine Korrektur braucht eine Begründung.', en: 'A correction needs a reason.' });
  }
  if (reason.length > MAX_REASON) {
    problems.add('reason', { de: `Die Begründung ist länger als ${MAX_REASON} Zeichen.`, en: `The reason is longer than ${MAX_REASON} characters.` });
  }
  if (!storable(reason)) {
    problems.add('reason', { de: 'Die Begründung enthält ein Zeichen, das nicht gespeichert werden kann (etwa U+0000).', en: 'The reason contains a character that cannot be stored (such as U+0000).' });
  }
  if ((input.source ?? '').length > MAX_SOURCE) {
    problems.add('source', { de: `Die Quelle ist länger als ${MAX_SOURCE} Zeichen.`, en: `The source is longer than ${MAX_SOURCE} characters.` });
  }
  if (!storable(input.source ?? '')) {
    problems.add('source', { de: 'Die Quelle enthält ein Zeichen, das nicht gespeichert werden kann (etwa U+0000).', en: 'The source contains a character that cannot be stored (such as U+0000).' });
  }
  validateIdempotencyKey(input.idempotencyKey, problems);
}

function validateIdempotencyKey(key: string | null | undefined, problems: Problems): void {
  if (key == null || IDEMPOTENCY_KEY.test(key)) return;
  problems.add('idempotencyKey', {
    de: 'Der Idempotenzschlüssel hat 1 bis 128 Zeichen aus A-Z, a-z, 0-9 und . _ : -.',
    en: 'The idempotency key has 1 to 128 characters from A-Z, a-z, 0-9 and . _ : -.',
  });
}

/** The import's own arguments; its rows are submissions, checked one by one. */
export function validateImportOptions(options: { idempotencyKey?: string | null }): Problem[] {
  const problems = new Problems();
  validateIdempotencyKey(options.idempotencyKey, problems);
  return problems.list;
}

export function validateStaff(input: StaffSubmission, rules: ValidationRules): Problem[] {
  const problems = new Problems();
  validateMeta(input, rules, problems);
  problems.count('headcount', input.headcount, true);
  problems.count('respondents', input.respondents, false);
  problems.count('withMigrationHistory', input.withMigrationHistory, false);
  problems.count('withForeignNationality', input.withForeignNationality, false);
  problems.migrationHistoryRecorded('withMigrationHistory', input.withMigrationHistory, rules);
  problems.needs('withMigrationHistory', input.withMigrationHistory, 'respondents', input.respondents);
  problems.notAbove('respondents', input.respondents, 'headcount', input.headcount);
  problems.notAbove('withMigrationHistory', input.withMigrationHistory, 'respondents', input.respondents);
  problems.notAbove('withForeignNationality', input.withForeignNationality, 'headcount', input.headcount);

  const seen = new Set<string>();
  (input.units ?? []).forEach((unit, index) => {
    const within = problems.within(`units[${index}].`);
    within.unit('unit', unit.unit, rules);
    if (seen.has(unit.unit)) {
      within.add('unit', { de: `Die Einheit "${unit.unit}" kommt doppelt vor.`, en: `The unit "${unit.unit}" appears twice.` });
    }
    seen.add(unit.unit);
    within.count('headcount', unit.headcount, true);
    within.count('respondents', unit.respondents, false);
    within.count('withMigrationHistory', unit.withMigrationHistory, false);
    within.migrationHistoryRecorded('withMigrationHistory', unit.withMigrationHistory, rules);
    within.needs('withMigrationHistory', unit.withMigrationHistory, 'respondents', unit.respondents);
    within.notAbove('respondents', unit.respondents, 'headcount', unit.headcount);
    within.notAbove('withMigrationHistory', unit.withMigrationHistory, 'respondents', unit.respondents);
  });
  const units = input.units ?? [];
  for (const field of ['headcount', 'respondents', 'withMigrationHistory'] as const) {
    const sum = units.reduce((total, unit) => total + (unit[field] ?? 0), 0);
    const total = input[field];
    if (units.length > 0 && total != null && total >= 0 && sum > total) {
      problems.add(`units`, {
        de: `Die Einheiten zählen zusammen ${sum} ${label(field).de}, mehr als insgesamt (${total}).`,
        en: `The units add up to ${sum} ${label(field).en}, more than the total (${total}).`,
      });
    }
  }
  return problems.list;
}

export function validateNewHires(input: NewHiresSubmission, rules: ValidationRules): Problem[] {
  const problems = new Problems();
  validateMeta(input, rules, problems);
  problems.count('total', input.total, true);
  problems.count('withMigrationHistory', input.withMigrationHistory, false);
  problems.migrationHistoryRecorded('withMigrationHistory', input.withMigrationHistory, rules);
  problems.notAbove('withMigrationHistory', input.withMigrationHistory, 'total', input.total);
  return problems.list;
}

export function validateTraineeIntake(input: TraineeIntakeSubmission, rules: ValidationRules): Problem[] {
  const problems = new Problems();
  validateMeta(input, rules, problems);
  problems.count('intake', input.intake, true);
  problems.count('withMigrationHistory', input.withMigrationHistory, false);
  problems.migrationHistoryRecorded('withMigrationHistory', input.withMigrationHistory, rules);
  problems.notAbove('withMigrationHistory', input.withMigrationHistory, 'intake', input.intake);
  return problems.list;
}

export function validateTraining(input: TrainingSubmission, rules: ValidationRules): Problem[] {
  const problems = new Problems();
  validateMeta(input, rules, problems);
  problems.unit('unit', input.unit, rules);
  problems.count('staffInScope', input.staffInScope, true);
  problems.count('completed', input.completed, true);
  problems.notAbove('completed', input.completed, 'staffInScope', input.staffInScope);
  return problems.list;
}

export function validateSubmission(submission: AnySubmission, rules: ValidationRules): Problem[] {
  switch (submission.kind) {
    case 'staff':
      return validateStaff(submission.input, rules);
    case 'newHires':
      return validateNewHires(submission.input, rules);
    case 'traineeIntake':
      return validateTraineeIntake(submission.input, rules);
    case 'training':
      return validateTraining(submission.input, rules);
  }
}
