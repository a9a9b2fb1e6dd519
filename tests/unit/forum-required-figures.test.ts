/**
 * The forum pairs the cities' figures that the gateway sends back for `@requires` with its members: by position, as
 * the gateway builds the list, and checked by the member each city's figures name, so that no city's figures are
 * ever counted for another.
 */
import 'reflect-metadata';
import { GraphQLError } from 'graphql';
import { ANNUAL_FIGURES_COLUMNS, AnnualFiguresTableScalar, toAnnualFiguresTable } from '../../services/common/graphql/annual-figures-table';
import { loadRegistry } from '../../services/common/registry';
import { pairRequiredFigures } from '../../services/forum/schema';

const registry = loadRegistry();
const ids = registry.members.map((member) => member.id);

const figuresOf = (year = 2024) => ({
  year,
  staffRespondents: 100,
  staffWithMigrationHistory: 30,
  traineeIntake: null,
  traineesWithMigrationHistory: null,
  jobcenterStaffInScope: null,
  jobcenterTrainingCompleted: null,
  staffHeadcount: 1_000,
  staffProvenance: 'ESTIMATE' as const,
  traineeProvenance: null,
  jobcenterTrainingProvenance: null,
});

function codeOf(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return undefined;
}

const table = (municipalityId: string, ...years: number[]) => toAnnualFiguresTable(municipalityId, years.map((year) => figuresOf(year)));
/** What a city answers for `annualFiguresTable`: the table's JSON text, as the scalar writes it. */
const tableOf = (municipalityId: string, ...years: number[]) => ({ annualFiguresTable: AnnualFiguresTableScalar.serialize(table(municipalityId, ...years)) });

it('pairs each member with the figures in its place, a city that did not answer with null', () => {
  const members = ids.map((id, index) => (index === 1 ? null : tableOf(id, 2023, 2024)));
  const paired = pairRequiredFigures(registry, { id: 'forum', members })!;
  expect(paired.map(({ member, annual }) => [member.id, annual?.map((figures) => figures.year) ?? null])).toEqual(
    ids.map((id, index) => [id, index === 1 ? null : [2023, 2024]]),
  );
  expect(paired[0]!.annual![1]).toEqual(figuresOf(2024));
});

it('keeps a city that answered with no figures apart from one that did not answer', () => {
  const members = ids.map((id, index) => (index === 0 ? tableOf(id) : tableOf(id, 2024)));
  expect(pairRequiredFigures(registry, { id: 'forum', members })![0]!.annual).toEqual([]);
});

it('refuses a list of another length: the member list changed while the request ran', () => {
  const members = ids.slice(1).map((id) => tableOf(id, 2024));
  expect(codeOf(() => pairRequiredFigures(registry, { id: 'forum', members }))).toBe('MEMBERS_CHANGED');
});

it('refuses figures in a place that name another member, rather than count them for the wrong city', () => {
  // The registry changed between the forum's two answers of one request, its length the same: two members swapped.
  const swapped = [ids[1]!, ids[0]!, ...ids.slice(2)];
  const members = swapped.map((id) => tableOf(id));
  expect(codeOf(() => pairRequiredFigures(registry, { id: 'forum', members }))).toBe('MEMBERS_CHANGED');
});

it.each([
  ['columns in another order', (table: ReturnType<typeof toAnnualFiguresTable>) => ({ ...table, columns: [...ANNUAL_FIGURES_COLUMNS].reverse() })],
  ['a row of another length', (table: ReturnType<typeof toAnnualFiguresTable>) => ({ ...table, rows: [table.rows[0]!.slice(1)] })],
  ['a negative count', (table: ReturnType<typeof toAnnualFiguresTable>) => ({ ...table, rows: [[2024, -1, ...table.rows[0]!.slice(2)]] })],
  ['a provenance that is none', (table: ReturnType<typeof toAnnualFiguresTable>) => ({ ...table, rows: [[...table.rows[0]!.slice(0, 8), 'GUESSED', null, null]] })],
  ['no member named', (table: ReturnType<typeof toAnnualFiguresTable>) => ({ ...table, municipalityId: '' })],
])('refuses a table with %s (BAD_REQUEST) rather than count it', (_what, spoil) => {
  const members = ids.map((id) => (id === ids[0] ? { annualFiguresTable: JSON.stringify(spoil(table(id, 2024))) } : tableOf(id, 2024)));
  expect(codeOf(() => pairRequiredFigures(registry, { id: 'forum', members }))).toBe('BAD_REQUEST');
});

it('refuses a table that is not JSON (BAD_REQUEST)', () => {
  const members = ids.map((id) => (id === ids[0] ? { annualFiguresTable: '{"municipalityId":' } : tableOf(id, 2024)));
  expect(codeOf(() => pairRequiredFigures(registry, { id: 'forum', members }))).toBe('BAD_REQUEST');
});

it('reads a table sent as an object, as a city of the version before sends it', () => {
  const members = ids.map((id) => (id === ids[0] ? { annualFiguresTable: table(id, 2024) } : tableOf(id, 2024)));
  expect(pairRequiredFigures(registry, { id: 'forum', members })![0]!.annual).toEqual([figuresOf(2024)]);
});

it('asks for nothing when the gateway sent no figures (a query without forum-wide progress)', () => {
  expect(pairRequiredFigures(registry, { id: 'forum' })).toBeUndefined();
});
