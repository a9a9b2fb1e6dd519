import { GraphQLError, GraphQLScalarType } from 'graphql';
import { z } from 'zod';
import type { AnnualCounts } from '../../domain/progress';
import { errorExtensions } from '../error-codes';
import { provenanceKinds } from '../registry';

/**
 * A member's annual figures as one table in one value: what forum-wide progress requires of every city (`@requires`
 * on the forum's progress fields). The same figures as `Municipality.annualFigures`, but a gateway passes a scalar on
 * as one value: as objects, every year's every figure of every member was a field the gateway visited, checked and
 * copied on its way to the forum, which at 400 members was most of the gateway's work for one ForumProgress
 * (docs/performance.md). On the wire the table is one JSON text (a string): every gateway and regional hub between a
 * city and the forum then reads and writes one string per member, not some two hundred numbers and arrays each.
 * Not part of the API schema (`@inaccessible`): analysts read `annualFigures`.
 */
export interface AnnualFiguresTable {
  /** The member whose figures these are: the forum checks by it that each city's figures are paired with that city. */
  municipalityId: string;
  /** The columns, ANNUAL_FIGURES_COLUMNS in that order. */
  columns: readonly string[];
  /** One row per reported year, ordered by year: each value in the column's place, null where not recorded. */
  rows: ReadonlyArray<ReadonlyArray<number | string | null>>;
}

/** The figures of one year, in column order. */
export const ANNUAL_FIGURES_COLUMNS = [
  'year',
  'staffRespondents',
  'staffWithMigrationHistory',
  'traineeIntake',
  'traineesWithMigrationHistory',
  'jobcenterStaffInScope',
  'jobcenterTrainingCompleted',
  'staffHeadcount',
  'staffProvenance',
  'traineeProvenance',
  'jobcenterTrainingProvenance',
] as const satisfies ReadonlyArray<keyof AnnualCounts>;

export const ANNUAL_FIGURES_TABLE_DESCRIPTION =
  "A member's annual figures (the same as `annualFigures`) as one table, written as one JSON text: `municipalityId`, `columns` and one row per reported year. " +
  'What forum-wide progress requires of each city, passed on by a gateway as one value; not part of the API schema.';

export function toAnnualFiguresTable(municipalityId: string, figures: ReadonlyArray<AnnualCounts>): AnnualFiguresTable {
  return { municipalityId, columns: ANNUAL_FIGURES_COLUMNS, rows: figures.map((year) => ANNUAL_FIGURES_COLUMNS.map((column) => year[column])) };
}

const count = z.number().int().nonnegative().nullable();
const provenance = z.enum(provenanceKinds).nullable();
const tableShape = z.object({
  municipalityId: z.string().min(1),
  columns: z.array(z.string()).refine((columns) => columns.length === ANNUAL_FIGURES_COLUMNS.length && columns.every((column, index) => column === ANNUAL_FIGURES_COLUMNS[index]), {
    message: `expected the columns ${ANNUAL_FIGURES_COLUMNS.join(', ')}`,
  }),
  rows: z.array(z.tuple([z.number().int(), count, count, count, count, count, count, count, provenance, provenance, provenance])),
});

const malformedTable = (detail: string) =>
  new GraphQLError(`A city's figures table is malformed ${detail}.`, { extensions: errorExtensions('BAD_REQUEST', { field: 'annualFiguresTable' }) });

/**
 * The figures of a table a city sent, checked: a table of another shape (a city service of another version) is refused
 * with a clear error rather than counted wrongly. The table comes as its JSON text; a city of the version before sent
 * it as an object, which is read as well, so that the forum and the cities need not be upgraded at one moment.
 */
export function fromAnnualFiguresTable(value: unknown): { municipalityId: string; annual: AnnualCounts[] } {
  let table = value;
  if (typeof value === 'string') {
    try {
      table = JSON.parse(value);
    } catch {
      throw malformedTable('at its root: not JSON');
    }
  }
  const parsed = tableShape.safeParse(table);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw malformedTable(`at ${issue.path.join('.') || 'its root'}: ${issue.message}`);
  }
  const { municipalityId, rows } = parsed.data;
  return {
    municipalityId,
    annual: rows.map(([year, staffRespondents, staffWithMigrationHistory, traineeIntake, traineesWithMigrationHistory, jobcenterStaffInScope, jobcenterTrainingCompleted, staffHeadcount, staffProvenance, traineeProvenance, jobcenterTrainingProvenance]) => ({
      year,
      staffRespondents,
      staffWithMigrationHistory,
      traineeIntake,
      traineesWithMigrationHistory,
      jobcenterStaffInScope,
      jobcenterTrainingCompleted,
      staffHeadcount,
      staffProvenance,
      traineeProvenance,
      jobcenterTrainingProvenance,
    })),
  };
}

/** The scalar both subgraphs declare; only ever an answer of the city subgraph, never an argument. */
export const AnnualFiguresTableScalar = new GraphQLScalarType<AnnualFiguresTable, string>({
  name: 'AnnualFiguresTable',
  description: ANNUAL_FIGURES_TABLE_DESCRIPTION,
  // @inaccessible like the fields of this type: the API schema lists neither (printed by printSchemaWithDirectives).
  extensions: { directives: { inaccessible: {} } },
  serialize: (value) => JSON.stringify(value as AnnualFiguresTable),
  parseValue: () => {
    throw new GraphQLError('AnnualFiguresTable is an answer, never an argument.', { extensions: errorExtensions('BAD_USER_INPUT') });
  },
  parseLiteral: () => {
    throw new GraphQLError('AnnualFiguresTable is an answer, never an argument.', { extensions: errorExtensions('BAD_USER_INPUT') });
  },
});
