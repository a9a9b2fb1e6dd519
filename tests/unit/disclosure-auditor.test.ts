/**
 * The disclosure auditor (tests/support/disclosure-auditor.ts) really attacks: fed hand-made published tables, it
 * pins the withheld counts that can be worked out (the cases of issue 10, as today's suppression publishes them)
 * and leaves those that cannot. And it reads every figure the schema publishes about a unit or a total: a field
 * added to those types fails here until the auditor reads it or says why it need not.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import {
  FIELDS_NOT_ABOUT_COUNTS,
  FIELDS_READ,
  attack,
  buildSystem,
  describeFinding,
  exactFraction,
  type CityYear,
  type Finding,
  type PublishedCount,
  type Publication,
  type StaffRevision,
  type TrainingRow,
} from '../support/disclosure-auditor';
import { ROOT } from '../support/processes';

const UNITS = ['jobcenter', 'buergerdienste', 'jugendamt'];

/** A published value, or null for a withheld one. */
const shown = (value: number | null): PublishedCount => ({ value, withheld: value === null });
const notRecorded: PublishedCount = { value: null, withheld: false };

/** One revision of a staff table with headcounts only (respondents and migration history not recorded). */
function headcounts(revision: number, total: number, units: ReadonlyArray<number | null>): StaffRevision {
  return {
    revision,
    headcount: shown(total),
    respondents: notRecorded,
    withMigrationHistory: notRecorded,
    share: null,
    responseRate: null,
    units: units.map((value, index) => ({ unit: UNITS[index]!, headcount: shown(value), respondents: notRecorded, withMigrationHistory: notRecorded, share: null })),
  };
}

function publication(reader: string, cityYears: CityYear[], forumYears: Publication['forumYears'] = []): Publication {
  return { reader, cityYears, forumYears };
}

const staffYear = (staff: StaffRevision[], city = 'duisburg'): CityYear => ({ city, year: 2025, staff, training: [], annual: null });

/** Attacks `published` with `truth` behind it; returns "unit field: [min, max]" of each withheld count, pinned or not. */
async function ranges(published: Publication, truth: Publication): Promise<{ pinned: string[]; safe: string[]; findings: Finding[] }> {
  const findings = await attack(buildSystem(published, truth));
  const line = (finding: Finding) => `${finding.target.label.revision} ${finding.target.label.unit ?? 'total'} ${finding.target.label.field}: [${finding.min}, ${finding.max}]`;
  return {
    pinned: findings.filter((finding) => finding.pinned).map(line),
    safe: findings.filter((finding) => !finding.pinned).map(line),
    findings,
  };
}

describe('exact fractions of published shares', () => {
  it.each([
    [2 / 3, 2, 3],
    [0, 0, 1],
    [1, 1, 1],
    [1234 / 5678, 617, 2839],
    [4711 / 99991, 4711, 99991],
  ])('%f is %i/%i', (ratio, numerator, denominator) => {
    expect(exactFraction(ratio)).toEqual({ numerator, denominator });
  });

  it('finds none for a value that is no ratio of counts', () => {
    expect(exactFraction(Math.PI, 10_000)).toBeNull();
    expect(exactFraction(-0.5)).toBeNull();
  });
});

describe('the attacker pins what can be worked out', () => {
  it('[·, 3, 10] with the total 14: the withheld count is 1', async () => {
    const result = await ranges(publication('member', [staffYear([headcounts(1, 14, [null, 3, 10])])]), publication('truth', [staffYear([headcounts(1, 14, [1, 3, 10])])]));
    expect(result.pinned).toEqual(['1 jobcenter headcount: [1, 1]']);
    expect(describeFinding(result.findings[0]!)).toBe(
      'member: duisburg 2025 staff revision 1 jobcenter headcount (withheld count) is 1; the attacker narrows it to [1, 1]',
    );
  });

  it('[2, 2, 10] published as [·, ·, 10] with the total 14: both withheld counts lie in [1, 3]', async () => {
    const result = await ranges(publication('member', [staffYear([headcounts(1, 14, [null, null, 10])])]), publication('truth', [staffYear([headcounts(1, 14, [2, 2, 10])])]));
    expect(result.pinned).toEqual(['1 jobcenter headcount: [1, 3]', '1 buergerdienste headcount: [1, 3]']);
  });

  it('[0, 2, 0] published as [0, ·, 0] with the total 2: the withheld count is at most the total', async () => {
    const result = await ranges(publication('member', [staffYear([headcounts(1, 2, [0, null, 0])])]), publication('truth', [staffYear([headcounts(1, 2, [0, 2, 0])])]));
    expect(result.pinned).toEqual(['1 buergerdienste headcount: [1, 2]']);
  });

  it('a correction that shows a count the earlier revision withheld gives the earlier revision away', async () => {
    // Revision 1 [2, 5, 10] / 17 as [·, ·, 10]; revision 2 [2, 5, 4] / 11 as [·, 5, ·]. Alone, each is safe.
    const published = publication('member', [staffYear([headcounts(1, 17, [null, null, 10]), headcounts(2, 11, [null, 5, null])])]);
    const truth = publication('truth', [staffYear([headcounts(1, 17, [2, 5, 10]), headcounts(2, 11, [2, 5, 4])])]);
    const result = await ranges(published, truth);
    expect(result.pinned).toEqual(['1 jobcenter headcount: [1, 2]', '1 buergerdienste headcount: [5, 5]', '2 jobcenter headcount: [1, 2]']);

    // Had the correction changed that count, nothing would link the revisions.
    const changed = publication('truth', [staffYear([headcounts(1, 17, [2, 5, 10]), headcounts(2, 11, [2, 6, 3])])]);
    const unlinked = await ranges(publication('member', [staffYear([headcounts(1, 17, [null, null, 10]), headcounts(2, 11, [null, 6, null])])]), changed);
    expect(unlinked.pinned).toEqual([]);
  });

  it('a share published beside a withheld count pins it: respondents 4, share 0.5', async () => {
    const unit = (migration: number | null) => ({
      unit: 'jobcenter',
      headcount: shown(40),
      respondents: shown(4),
      withMigrationHistory: shown(migration),
      share: 0.5,
    });
    const revision = (migration: number | null): StaffRevision => ({
      ...headcounts(1, 100, []),
      respondents: shown(50),
      withMigrationHistory: shown(20),
      units: [unit(migration)],
    });
    const result = await ranges(publication('member', [staffYear([revision(null)])]), publication('truth', [staffYear([revision(2)])]));
    expect(result.pinned).toEqual(['1 jobcenter withMigrationHistory: [2, 2]']);
  });

  it('a unit whose respondents all have a migration history is pinned, even with nothing withheld', async () => {
    const revision: StaffRevision = {
      ...headcounts(1, 100, []),
      respondents: shown(50),
      withMigrationHistory: shown(20),
      units: [{ unit: 'jobcenter', headcount: shown(10), respondents: shown(5), withMigrationHistory: shown(5), share: 1 }],
    };
    const result = await ranges(publication('member', [staffYear([revision])]), publication('truth', [staffYear([revision])]));
    expect(result.pinned).toEqual(['1 jobcenter respondents - withMigrationHistory: [0, 0]']);
  });

  it('forum-wide training totals tie the cities together: one withheld Jobcenter count is the total minus the others', async () => {
    const training = (staffInScope: number | null, completed: number | null): TrainingRow => ({
      unit: 'jobcenter',
      jobcenter: true,
      revision: 'latest',
      staffInScope: shown(staffInScope),
      completed: shown(completed),
      completionRate: null,
    });
    const cityYear = (city: string, row: TrainingRow): CityYear => ({ city, year: 2025, staff: [], training: [row], annual: null });
    const forum = (reporting: string[]) => [{ year: 2025, staff: null, training: { staffInScope: 702, completed: 500, completionRate: null, citiesReporting: reporting } }];
    const truth = publication('truth', [cityYear('duisburg', { ...training(2, 0), revision: 1 }), cityYear('bochum', { ...training(700, 500), revision: 1 })], forum(['duisburg', 'bochum']));
    const result = await ranges(
      publication('anonymous', [cityYear('duisburg', training(null, 0)), cityYear('bochum', training(700, 500))], forum(['duisburg', 'bochum'])),
      truth,
    );
    expect(result.pinned).toEqual(['latest jobcenter staffInScope: [2, 2]']);
  });
});

describe('the attacker leaves what cannot be worked out', () => {
  it('[8, 12, 10] published as [·, ·, 10] with the total 30: each withheld count lies in [1, 19]', async () => {
    const result = await ranges(publication('member', [staffYear([headcounts(1, 30, [null, null, 10])])]), publication('truth', [staffYear([headcounts(1, 30, [8, 12, 10])])]));
    expect(result.pinned).toEqual([]);
    expect(result.safe).toEqual(['1 jobcenter headcount: [1, 19]', '1 buergerdienste headcount: [1, 19]']);
  });

  it('a withheld count with no total above it is unbounded', async () => {
    const result = await ranges(
      publication('member', [staffYear([{ ...headcounts(1, 0, [null, 3]), headcount: notRecorded }])]),
      publication('truth', [staffYear([{ ...headcounts(1, 0, [2, 3]), headcount: notRecorded }])]),
    );
    expect(result.safe).toEqual(['1 jobcenter headcount: [1, 1000000000]']);
  });

  it('refuses a withheld zero: the attacker is told a zero is never withheld', () => {
    expect(() => buildSystem(publication('member', [staffYear([headcounts(1, 14, [null, 4, 10])])]), publication('truth', [staffYear([headcounts(1, 14, [0, 4, 10])])]))).toThrow(
      /is 0, outside the attacker's bounds \[1, 1000000000\]/,
    );
  });

  it('refuses a model the true figures contradict, rather than pinning on a false premise', async () => {
    // The published total 12 is below the shown units (3 + 10): no true figures can be behind this.
    expect(() => buildSystem(publication('member', [staffYear([headcounts(1, 12, [null, 3, 10])])]), publication('truth', [staffYear([headcounts(1, 12, [1, 3, 10])])]))).toThrow(
      /does not hold for the true figures/,
    );
  });
});

describe('the auditor reads every figure the schema publishes about a unit or a total', () => {
  const schema = parse(readFileSync(path.join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'));
  const types = new Map(
    schema.definitions.filter((definition): definition is ObjectTypeDefinitionNode => definition.kind === Kind.OBJECT_TYPE_DEFINITION).map((type) => [type.name.value, type]),
  );

  it.each(Object.keys(FIELDS_READ))('%s', (typeName) => {
    const type = types.get(typeName);
    expect(type).toBeDefined();
    const accounted = new Set([...FIELDS_READ[typeName]!, ...Object.keys(FIELDS_NOT_ABOUT_COUNTS[typeName] ?? {})]);
    const unread = (type!.fields ?? []).map((field) => field.name.value).filter((field) => !accounted.has(field));
    expect({ type: typeName, unread }).toEqual({ type: typeName, unread: [] });
  });
});
