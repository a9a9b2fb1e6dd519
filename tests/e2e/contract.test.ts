/**
 * The query contract (tests/contract/README.md), end to end: forum and 8 city subgraphs and the gateway as
 * separate processes over HTTP, on a fresh PostgreSQL database with the demo data.
 * Schema under test: schema/supergraph.graphql.
 */
import type { CityComparisonData, CityTrendData, ComparedMember, ForumProgressData } from '../support/contract-types';
import { readFileSync } from 'node:fs';
import { fromProjectRoot } from '../../services/common/project-root';
import { TestFederation, contractOperation } from '../support/federation';

const MEMBER_IDS = ['bochum', 'dortmund', 'duisburg', 'essen', 'gelsenkirchen', 'herne', 'muelheim', 'oberhausen'];
const YEAR = 2024;

/** The contract's rounding: 2 decimals, compared with half a hundredth of slack for binary fractions. */
const expectGap = (gap: number | null, target: number, share: number) =>
  expect(Math.abs((gap ?? NaN) - Math.round((target - share) * 100 * 100) / 100)).toBeLessThanOrEqual(0.005 + 1e-9);

const expectRatio = (value: number | null, numerator: number | null, denominator: number | null) => {
  if (numerator === null || denominator === null || denominator === 0) expect(value).toBeNull();
  else expect(value).toBeCloseTo(numerator / denominator, 12);
};

const expectShare = (value: number | null) => {
  if (value !== null) {
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
  }
};

/** An implementation of the contract's projection rule written for the test, not taken from the product. */
function firstYearTrendMeetsTarget(series: Array<{ year: number; share: number }>, target: number): number | null {
  const window = series.slice(-5);
  const n = window.length;
  const sx = window.reduce((s, p) => s + p.year, 0);
  const sy = window.reduce((s, p) => s + p.share, 0);
  const sxx = window.reduce((s, p) => s + p.year * p.year, 0);
  const sxy = window.reduce((s, p) => s + p.year * p.share, 0);
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const intercept = (sy - slope * sx) / n;
  for (let year = window[0]!.year; year <= 3000; year += 1) {
    if (intercept + slope * year >= target - 1e-9) return year;
    if (slope <= 0) return null;
  }
  return null;
}

let federation: TestFederation;

const byIdIn = (data: CityComparisonData) => (id: string): ComparedMember => {
  const member = data.forum.members.find((candidate) => candidate.id === id);
  if (!member) throw new Error(`${id} is not among the members`);
  return member;
};

beforeAll(async () => {
  federation = await TestFederation.start();
}, 120_000);

afterAll(async () => {
  await federation?.stop();
});

describe('ForumProgress', () => {
  it('lists the 8 members and pools the staff share over the reporting cities', async () => {
    const { status, body } = await federation.query<ForumProgressData>(contractOperation('forum-progress'), { year: YEAR });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const forum = body.data!.forum;
    expect(forum.members.map((member) => member.id).sort()).toEqual(MEMBER_IDS);

    const progress = forum.staffProgress;
    expect(progress.year).toBe(YEAR);
    expect(progress.targetShare).toBe(0.33);
    const reporting = progress.citiesReporting.map((city) => city.id);
    const missing = progress.citiesMissing.map((city) => city.id);
    expect(reporting.filter((id) => missing.includes(id))).toEqual([]);
    expect([...reporting, ...missing].sort()).toEqual(MEMBER_IDS);
    // Herne records nationality only: it cannot report a migration share, and is missing rather than 0.
    expect(missing).toContain('herne');

    const comparison = await federation.query<CityComparisonData>(contractOperation('city-comparison'), { year: YEAR });
    const staffById = new Map(comparison.body.data!.forum.members.map((member) => [member.id, member.staff!]));
    const pooledNumerator = reporting.reduce((sum, id) => sum + staffById.get(id)!.withMigrationHistory!, 0);
    const pooledDenominator = reporting.reduce((sum, id) => sum + staffById.get(id)!.respondents!, 0);
    expect(progress.pooledShare).toBeCloseTo(pooledNumerator / pooledDenominator, 12);
    expectShare(progress.pooledShare);
    expectGap(progress.gapPoints, progress.targetShare!, progress.pooledShare!);
  });

  it('reports trainee and Jobcenter training progress with shares in [0, 1]', async () => {
    const { body } = await federation.query<ForumProgressData>(contractOperation('forum-progress'), { year: YEAR });
    const forum = body.data!.forum;
    expect(forum.traineeProgress.year).toBe(YEAR);
    expectShare(forum.traineeProgress.pooledShare);
    expect(forum.traineeProgress.citiesReporting.length).toBeGreaterThan(0);
    const training = forum.trainingProgress;
    expectRatio(training.completionRate, training.completed, training.staffInScope);
    expectShare(training.completionRate);
    expect(forum.commitments.map((commitment) => commitment.id)).toEqual([
      'staff-share',
      'trainee-share',
      'jobcenter-training',
    ]);
  });

  it('counts only the members of a year: Gelsenkirchen joined after 2012', async () => {
    const { body } = await federation.query<ForumProgressData>(contractOperation('forum-progress'), { year: 2012 });
    expect(body.errors).toBeUndefined();
    const progress = body.data!.forum.staffProgress;
    const ids = [...progress.citiesReporting, ...progress.citiesMissing].map((city) => city.id);
    expect(ids).not.toContain('gelsenkirchen');
    expect(ids.sort()).toEqual(MEMBER_IDS.filter((id) => id !== 'gelsenkirchen'));
  });
});

describe('CityComparison', () => {
  it('shows every member side by side with consistent shares, rates, gaps and provenance', async () => {
    const { status, body } = await federation.query<CityComparisonData>(contractOperation('city-comparison'), { year: YEAR });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const members = body.data!.forum.members;
    expect(members.map((member) => member.id).sort()).toEqual(MEMBER_IDS);

    for (const member of members) {
      const staff = member.staff!;
      const trainees = member.trainees!;
      const interculturalTraining = member.interculturalTraining!;
      expect(staff.year).toBe(YEAR);
      expectRatio(staff.share, staff.withMigrationHistory, staff.respondents);
      expectRatio(staff.responseRate, staff.respondents, staff.headcount);
      expectShare(staff.share);
      expectShare(staff.responseRate);
      expect(['FIXED', 'POPULATION_PARITY']).toContain(staff.target.kind);
      expectShare(staff.target.share);
      if (staff.share === null) expect(staff.gapPoints).toBeNull();
      else expectGap(staff.gapPoints, staff.target.share, staff.share);
      expect(['OFFICIAL', 'SUBMITTED', 'ESTIMATE']).toContain(staff.provenance.kind);
      if (staff.provenance.kind === 'OFFICIAL') expect(staff.provenance.source).toEqual(expect.any(String));

      expectRatio(trainees.share, trainees.withMigrationHistory, trainees.intake);
      expectShare(trainees.share);
      expect(interculturalTraining.length).toBeGreaterThan(0);
      for (const unit of interculturalTraining) {
        expectRatio(unit.completionRate, unit.completed, unit.staffInScope);
        expectShare(unit.completionRate);
      }
      expect(interculturalTraining.map((unit) => unit.unit)).toContain('jobcenter');
    }
  });

  it("keeps a figure a city does not record null, never 0 (Herne), and Duisburg's fixed 33 % target", async () => {
    const { body } = await federation.query<CityComparisonData>(contractOperation('city-comparison'), { year: YEAR });
    const member = byIdIn(body.data!);
    const herne = member('herne');
    expect(herne.staff!.headcount).toBeGreaterThan(0);
    expect(herne.staff!.withMigrationHistory).toBeNull();
    expect(herne.staff!.share).toBeNull();
    expect(herne.trainees!.withMigrationHistory).toBeNull();
    expect(member('duisburg').staff!.target).toEqual({ kind: 'FIXED', share: 0.33 });
    expect(member('dortmund').staff!.target).toEqual({ kind: 'POPULATION_PARITY', share: 0.41 });
  });

  it('uses published figures with their source and marks everything else as an estimate', async () => {
    const { body } = await federation.query<CityComparisonData>(contractOperation('city-comparison'), { year: 2021 });
    const member = byIdIn(body.data!);
    expect(member('herne').staff!.headcount).toBe(3001);
    expect(member('herne').staff!.provenance).toEqual({ kind: 'OFFICIAL', source: expect.stringContaining('WAZ') });
    expect(member('muelheim').trainees).toMatchObject({ intake: 59, withMigrationHistory: 20 });
    expect(member('essen').staff!.provenance.kind).toBe('ESTIMATE');
  });
});

describe('CityTrend', () => {
  it('orders the series by year, one entry per reported year, and projects when the target is met', async () => {
    const { status, body } = await federation.query<CityTrendData>(contractOperation('city-trend'), { id: 'duisburg', from: 2010, to: 2024 });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const city = body.data!.municipality!;
    expect(city).toMatchObject({ id: 'duisburg', name: 'Duisburg' });
    const staffSeries = city.staffSeries!;
    expect(staffSeries.map((entry) => entry.year)).toEqual(Array.from({ length: 15 }, (_, index) => 2010 + index));
    for (const entry of staffSeries) expectShare(entry.share);

    const projection = city.staffProjection!;
    expect(projection.targetShare).toBe(0.33);
    const series = staffSeries.map((entry) => ({ year: entry.year, share: entry.share! }));
    expect(projection.reachesTargetIn).toBe(firstYearTrendMeetsTarget(series, 0.33));
    expect(projection.yearlyChangePoints).toBeGreaterThan(0);
  });

  it('returns only the years in the range', async () => {
    const { body } = await federation.query<CityTrendData>(contractOperation('city-trend'), { id: 'essen', from: 2015, to: 2017 });
    expect(body.data!.municipality!.staffSeries!.map((entry) => entry.year)).toEqual([2015, 2016, 2017]);
  });

  it('answers an unknown city with null and a NOT_FOUND error naming the argument', async () => {
    const { body } = await federation.query<CityTrendData>(contractOperation('city-trend'), { id: 'mülheim', from: 2010, to: 2024 });
    expect(body.data!.municipality).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND', field: 'id' }) }),
    ]);
  });
});

describe('README', () => {
  it('shows an example whose answer is what the hub answers', async () => {
    const readme = readFileSync(fromProjectRoot('README.md'), 'utf8');
    const query = /```graphql\n([\s\S]*?)```/.exec(readme)![1]!;
    const answer = JSON.parse(/```json\n([\s\S]*?)```/.exec(readme)![1]!);
    const { body } = await federation.query(query);
    expect(body).toEqual(answer);
  });
});

describe('docs/queries.md', () => {
  const text = readFileSync(fromProjectRoot('docs', 'queries.md'), 'utf8');
  const pairs = [...text.matchAll(/## (.+)\n[\s\S]*?```graphql\n([\s\S]*?)```\s*```json\n([\s\S]*?)```/g)].map((match) => ({
    question: match[1]!,
    query: match[2]!,
    answer: JSON.parse(match[3]!) as unknown,
  }));

  it('has questions', () => expect(pairs.length).toBeGreaterThanOrEqual(5));

  it.each(pairs.map((pair) => [pair.question, pair]))('answers "%s" as documented', async (_question, pair) => {
    const { body } = await federation.query(pair.query);
    expect(body).toEqual(pair.answer);
  });
});
