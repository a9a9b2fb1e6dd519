import { CsvError, parse } from 'csv-parse/sync';
import type { Messages } from '../../common/messages';
import type { AnySubmission, UnitStaffSubmission } from '../submissions/submission';
import type { ErrorCode } from '../../common/error-codes';

/**
 * The CSV format HR teams import (docs/submissions.md, template docs/import-template.csv): one row per year (and
 * unit) of one kind of figures. Headers in German or English; a file separated by semicolons is read the German
 * way (1.234,0), one separated by commas the English way (1234.0).
 */

export const COLUMNS = {
  kind: ['Art', 'kind'],
  year: ['Jahr', 'year'],
  unit: ['Organisationseinheit', 'Einheit', 'unit'],
  headcount: ['Beschäftigte', 'Beschaeftigte', 'headcount'],
  respondents: ['Befragte', 'respondents'],
  withMigrationHistory: ['mit Zuwanderungsgeschichte', 'withMigrationHistory'],
  withForeignNationality: ['ausländische Staatsangehörigkeit', 'auslaendische Staatsangehoerigkeit', 'withForeignNationality'],
  count: ['Anzahl', 'count'],
  staffInScope: ['Zielgruppe', 'staffInScope'],
  completed: ['geschult', 'completed'],
  correctsRevision: ['korrigierte Revision', 'correctsRevision'],
  reason: ['Begründung', 'Begruendung', 'reason'],
  source: ['Quelle', 'source'],
} as const;
export type Column = keyof typeof COLUMNS;

export const KINDS = {
  staff: ['Personal', 'staff'],
  'staff-unit': ['Personal Einheit', 'Personal-Einheit', 'staff-unit'],
  'new-hires': ['Neueinstellungen', 'new-hires'],
  trainees: ['Auszubildende', 'trainees'],
  training: ['Schulung', 'training'],
} as const;
type RowKind = keyof typeof KINDS;

/** A refused row of an import: the file's line, the column (as written in the file) and why. */
export interface RowProblem {
  row: number;
  column: string | null;
  field: string;
  code: Extract<ErrorCode, 'BAD_USER_INPUT' | 'CONFLICT'>;
  messages: Messages;
}

/** A submission with the line it came from, and for staff the lines of its units. */
export interface ParsedSubmission {
  row: number;
  submission: AnySubmission;
  unitRows: number[];
}

export interface ParsedFile {
  submissions: ParsedSubmission[];
  problems: RowProblem[];
  rowsRead: number;
  /** The file's header for each column, to name columns in problems as the HR team wrote them. */
  headers: Partial<Record<Column, string>>;
}

const normalise = (text: string) =>
  text.trim().toLowerCase().replaceAll('ä', 'ae').replaceAll('ö', 'oe').replaceAll('ü', 'ue').replaceAll('ß', 'ss').replace(/[\s_-]+/g, ' ');

function lookup<Key extends string>(table: Record<Key, readonly string[]>, text: string): Key | undefined {
  const wanted = normalise(text);
  return (Object.keys(table) as Key[]).find((key) => table[key].some((alias) => normalise(alias) === wanted));
}

/** Numbers as the file's convention writes them; a whole number comes out, or a message why not. */
export function parseCount(text: string, german: boolean): { value: number | null } | { error: Messages } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null };
  const pattern = german ? /^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/ : /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
  const match = pattern.exec(trimmed);
  if (!match) {
    return { error: { de: `"${trimmed}" ist keine Zahl.`, en: `"${trimmed}" is not a number.` } };
  }
  const value = Number(german ? trimmed.replaceAll('.', '').replace(',', '.') : trimmed.replaceAll(',', ''));
  // The digits decide, not the float: 1.0000000000000001 rounds to the whole number 1.
  const fraction = match[3] ?? '';
  if (/[1-9]/.test(fraction) || !Number.isInteger(value)) {
    return { error: { de: `${trimmed} ist keine ganze Zahl.`, en: `${trimmed} is not a whole number.` } };
  }
  return { value };
}

export function parseFiguresCsv(csv: string): ParsedFile {
  const text = csv.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const german = firstLine.includes(';');
  let parsed: Array<{ record: string[]; info: { lines: number; empty_lines: number } }>;
  try {
    // csv-parse's types describe `info: true` only together with `columns`.
    parsed = parse(text, { delimiter: german ? ';' : ',', skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof parsed;
  } catch (error) {
    // A file that is not CSV at all (a stray quote) is a refused file, not a failure of the service.
    if (error instanceof CsvError) return { submissions: [], problems: [unreadable(error)], rowsRead: 0, headers: {} };
    throw error;
  }
  // Problems name the line a row starts on, as the HR team's editor shows it: counting the blank lines csv-parse
  // skips, and the lines of cells that span several. A record's info gives the line it ends on and the blank lines
  // so far, so it starts after the previous record and the blank lines between them.
  const records = parsed.map(({ record, info }, index) => {
    const previous = parsed[index - 1]?.info ?? { lines: 0, empty_lines: 0 };
    return { cells: record, line: previous.lines + (info.empty_lines - previous.empty_lines) + 1 };
  });
  const [headerRecord, ...rows] = records;
  const header = headerRecord?.cells ?? [];
  const headerLine = headerRecord?.line ?? 1;
  const problems: RowProblem[] = [];
  const columnIndex = new Map<Column, number>();
  const headers: Partial<Record<Column, string>> = {};
  header.forEach((name, index) => {
    const column = lookup(COLUMNS, name);
    if (!column) {
      problems.push({ row: headerLine, column: name, field: name, code: 'BAD_USER_INPUT', messages: { de: `Unbekannte Spalte "${name}".`, en: `Unknown column "${name}".` } });
      return;
    }
    columnIndex.set(column, index);
    headers[column] = name;
  });
  for (const required of ['kind', 'year'] as const) {
    if (!columnIndex.has(required)) {
      problems.push({
        row: headerLine,
        column: COLUMNS[required][0],
        field: required,
        code: 'BAD_USER_INPUT',
        messages: { de: `Die Spalte "${COLUMNS[required][0]}" fehlt.`, en: `The column "${COLUMNS[required][1]}" is missing.` },
      });
    }
  }
  if (problems.length > 0) return { submissions: [], problems, rowsRead: rows.length, headers };

  const submissions: ParsedSubmission[] = [];
  const staffByYear = new Map<number, ParsedSubmission>();
  const pendingUnits: Array<{ row: number; year: number; unit: UnitStaffSubmission }> = [];
  const seen = new Set<string>();

  rows.forEach(({ cells, line: row }) => {
    const cell = (column: Column) => (columnIndex.has(column) ? (cells[columnIndex.get(column)!] ?? '') : '');
    const rowProblems: RowProblem[] = [];
    const count = (column: Column): number | null => {
      const parsed = parseCount(cell(column), german);
      if ('error' in parsed) {
        rowProblems.push({ row, column: headers[column] ?? column, field: column, code: 'BAD_USER_INPUT', messages: parsed.error });
        return null;
      }
      return parsed.value;
    };
    const kind = lookup(KINDS, cell('kind'));
    if (!kind) {
      problems.push({
        row,
        column: headers.kind ?? 'kind',
        field: 'kind',
        code: 'BAD_USER_INPUT',
        messages: {
          de: `Unbekannte Art "${cell('kind')}"; möglich: ${Object.values(KINDS).map((aliases) => aliases[0]).join(', ')}.`,
          en: `Unknown kind "${cell('kind')}"; one of: ${Object.values(KINDS).map((aliases) => aliases.at(-1)).join(', ')}.`,
        },
      });
      return;
    }
    const year = count('year');
    const meta = {
      year: year ?? Number.NaN,
      correctsRevision: count('correctsRevision'),
      reason: cell('reason') || null,
      source: cell('source') || null,
    };
    const entry = build(kind as RowKind, meta, count, cell);
    problems.push(...rowProblems);
    if (rowProblems.length > 0 || year === null) {
      if (year === null && rowProblems.every((problem) => problem.field !== 'year')) {
        problems.push({ row, column: headers.year ?? 'year', field: 'year', code: 'BAD_USER_INPUT', messages: { de: 'Das Jahr fehlt.', en: 'The year is missing.' } });
      }
      return;
    }
    if (entry.unit) {
      pendingUnits.push({ row, year, unit: entry.unit });
      return;
    }
    const submission = entry.submission!;
    const identity = `${submission.kind}:${year}:${submission.kind === 'training' ? submission.input.unit : ''}`;
    if (seen.has(identity)) {
      problems.push(duplicate(row, headers, year));
      return;
    }
    seen.add(identity);
    const parsed: ParsedSubmission = { row, submission, unitRows: [] };
    if (submission.kind === 'staff') staffByYear.set(year, parsed);
    submissions.push(parsed);
  });

  for (const { row, year, unit } of pendingUnits) {
    const staff = staffByYear.get(year);
    if (!staff || staff.submission.kind !== 'staff') {
      problems.push({
        row,
        column: headers.kind ?? 'kind',
        field: 'kind',
        code: 'BAD_USER_INPUT',
        messages: {
          de: `Eine Zeile "Personal Einheit" braucht die Zeile "Personal" desselben Jahres (${year}) in derselben Datei.`,
          en: `A "staff-unit" row needs the "staff" row of the same year (${year}) in the same file.`,
        },
      });
      continue;
    }
    (staff.submission.input.units ??= []).push(unit);
    staff.unitRows.push(row);
  }
  return { submissions, problems, rowsRead: rows.length, headers };
}

const QUOTE_ERRORS = new Set(['CSV_QUOTE_NOT_CLOSED', 'INVALID_OPENING_QUOTE', 'CSV_INVALID_CLOSING_QUOTE', 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE']);

function unreadable(error: CsvError): RowProblem {
  const line = typeof error.lines === 'number' && error.lines >= 1 ? error.lines : 1;
  const quotes = QUOTE_ERRORS.has(error.code);
  return {
    row: line,
    column: null,
    field: 'csv',
    code: 'BAD_USER_INPUT',
    messages: quotes
      ? {
          de: `Die Datei ist ab Zeile ${line} kein lesbares CSV: ein Anführungszeichen wird nicht geschlossen oder steht mitten in einem Feld.`,
          en: `The file is not readable CSV from line ${line}: a quote is not closed or stands inside a field.`,
        }
      : { de: `Die Datei ist ab Zeile ${line} kein lesbares CSV.`, en: `The file is not readable CSV from line ${line}.` },
  };
}

function duplicate(row: number, headers: Partial<Record<Column, string>>, year: number): RowProblem {
  return {
    row,
    column: headers.year ?? 'year',
    field: 'year',
    code: 'BAD_USER_INPUT',
    messages: { de: `Das Jahr ${year} kommt für diese Art (und Einheit) zweimal vor.`, en: `The year ${year} appears twice for this kind (and unit).` },
  };
}

function build(
  kind: RowKind,
  meta: { year: number; correctsRevision: number | null; reason: string | null; source: string | null },
  count: (column: Column) => number | null,
  cell: (column: Column) => string,
): { submission?: AnySubmission; unit?: UnitStaffSubmission } {
  switch (kind) {
    case 'staff':
      return {
        submission: {
          kind: 'staff',
          input: {
            ...meta,
            headcount: count('headcount') as number,
            respondents: count('respondents'),
            withMigrationHistory: count('withMigrationHistory'),
            withForeignNationality: count('withForeignNationality'),
          },
        },
      };
    case 'staff-unit':
      return {
        unit: { unit: cell('unit'), headcount: count('headcount') as number, respondents: count('respondents'), withMigrationHistory: count('withMigrationHistory') },
      };
    case 'new-hires':
      return { submission: { kind: 'newHires', input: { ...meta, total: count('count') as number, withMigrationHistory: count('withMigrationHistory') } } };
    case 'trainees':
      return { submission: { kind: 'traineeIntake', input: { ...meta, intake: count('count') as number, withMigrationHistory: count('withMigrationHistory') } } };
    case 'training':
      return {
        submission: {
          kind: 'training',
          input: { ...meta, unit: cell('unit'), staffInScope: count('staffInScope') as number, completed: count('completed') as number },
        },
      };
  }
}

/** Where a validation problem of a submission sits in the file: its row, and the column as the file names it. */
export function locateProblem(parsed: ParsedSubmission, field: string, headers: Partial<Record<Column, string>>): { row: number; column: string | null } {
  const unitMatch = /^units\[(\d+)\]\.(\w+)$/.exec(field);
  if (unitMatch) {
    const column = unitMatch[2] as Column;
    return { row: parsed.unitRows[Number(unitMatch[1])] ?? parsed.row, column: headers[column] ?? column };
  }
  const column = (field === 'total' || field === 'intake' ? 'count' : field) as Column;
  return { row: parsed.row, column: column in COLUMNS ? (headers[column] ?? COLUMNS[column][0]) : null };
}
