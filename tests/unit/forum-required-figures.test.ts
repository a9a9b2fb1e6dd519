/**
 * The forum pairs the cities' figures that the gateway sends back for `@requires` with its members: by position, as
 * the gateway builds the list, and checked by the member each city's figures name, so that no city's figures are
 * ever counted for another.
 */
import 'reflect-metadata';
import { GraphQLError } from 'graphql';
import { loadRegistry } from '../../services/common/registry';
import { pairRequiredFigures } from '../../services/forum/schema';

const registry = loadRegistry();
const ids = registry.members.map((member) => member.id);

const figuresOf = (municipalityId: string, year = 2024) => ({
  municipalityId,
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

it('pairs each member with the figures in its place, a city that did not answer with null', () => {
  const members = ids.map((id, index) => (index === 1 ? null : { annualFigures: [figuresOf(id, 2023), figuresOf(id)] }));
  const paired = pairRequiredFigures(registry, { id: 'forum', members })!;
  expect(paired.map(({ member, annual }) => [member.id, annual?.map((figures) => (figures as { municipalityId?: string }).municipalityId) ?? null])).toEqual(
    ids.map((id, index) => [id, index === 1 ? null : [id, id]]),
  );
});

it('keeps a city that answered with no figures apart from one that did not answer', () => {
  const members = ids.map((id, index) => ({ annualFigures: index === 0 ? [] : [figuresOf(id)] }));
  expect(pairRequiredFigures(registry, { id: 'forum', members })![0]!.annual).toEqual([]);
});

it('refuses a list of another length: the member list changed while the request ran', () => {
  const members = ids.slice(1).map((id) => ({ annualFigures: [figuresOf(id)] }));
  expect(codeOf(() => pairRequiredFigures(registry, { id: 'forum', members }))).toBe('MEMBERS_CHANGED');
});

it('refuses figures in a place that name another member, rather than count them for the wrong city', () => {
  // The registry changed between the forum's two answers of one request, its length the same: two members swapped.
  const swapped = [ids[1]!, ids[0]!, ...ids.slice(2)];
  const members = swapped.map((id) => ({ annualFigures: [figuresOf(id)] }));
  expect(codeOf(() => pairRequiredFigures(registry, { id: 'forum', members }))).toBe('MEMBERS_CHANGED');
});

it('asks for nothing when the gateway sent no figures (a query without forum-wide progress)', () => {
  expect(pairRequiredFigures(registry, { id: 'forum' })).toBeUndefined();
});
