/**
 * The query contract (tests/contract/README.md), end to end: forum and 8 city subgraphs and the gateway as
 * separate processes over HTTP, on a fresh PostgreSQL database with the demo data.
 * Schema under test: schema/supergraph.graphql.
 */
import type {
  CityComparisonData,
  CityTrendData,
  ComparedMember,
  ForumProgressData,
  ProjectionStatus,
  StaffUncertaintyData,
  TargetStatus,
} from '../support/contract-types';
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

/** The contract's projection rule (README, `staffProjection.status`), implemented for the test, not taken from the product. */
function projectionByContract(series: Array<{ year: number; share: number }>, target: number | null): { status: ProjectionStatus; reachesTargetIn: number | null } {
  const window = [...series].sort((a, b) => a.year - b.year).slice(-5);
  if (window.length < 2 || target === null) return { status: 'UNKNOWN', reachesTargetIn: null };
  const n = window.length;
  const sx = window.reduce((s, p) => s + p.year, 0);
  const sy = window.reduce((s, p) => s + p.share, 0);
  const sxx = window.reduce((s, p) => s + p.year * p.year, 0);
  const sxy = window.reduce((s, p) => s + p.year * p.share, 0);
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const intercept = (sy - slope * sx) / n;
  const latest = window[n - 1]!.year;
  const meets = (year: number) => intercept + slope * year >= target - 1e-9;
  if (meets(latest)) return { status: slope < -1e-9 ? 'FALLS_BELOW' : 'ALREADY_MET', reachesTargetIn: null };
  if (slope <= 1e-9) return { status: 'NEVER', reachesTargetIn: null };
  for (let year = latest + 1; ; year += 1) if (meets(year)) return { status: 'REACHES', reachesTargetIn: year };
}

const Z = 1.959964;

/**
 * The README's interval, by its definition: the shares p with (p̂ - p)² <= z² c p (1 - p) / n, c = (N - n) / (N - 1) with
 * the finite population correction and 1 without. Found by bisection on that inequality, not by the product's closed form.
 */
function intervalByDefinition(successes: number, n: number, correction: number): { lower: number; upper: number } {
  const share = successes / n;
  const inside = (p: number) => (share - p) ** 2 <= Z * Z * correction * p * (1 - p) / n + 1e-15;
  const bound = (outside: number, within: number) => {
    let [out, inn] = [outside, within];
    if (inside(out)) return out;
    for (let step = 0; step < 200; step += 1) {
      const middle = (out + inn) / 2;
      if (inside(middle)) inn = middle;
      else out = middle;
    }
    return inn;
  };
  return { lower: bound(0, share), upper: bound(1, share) };
}

/** The README's target rule. */
function statusByContract(interval: { lower: number; upper: number } | null, target: number | null | undefined): TargetStatus {
  if (!interval || target == null) return 'UNKNOWN';
  if (interval.lower >= target) return 'MET';
  if (interval.upper < target) return 'NOT_MET';
  return 'UNCERTAIN';
}

/** The registry as checked in, read as plain JSON: the parity rule is applied by the test, not by the product. */
interface RegistryFigure {
  year: number;
  provenance: 'OFFICIAL' | 'SUBMITTED' | 'ESTIMATE';
}
const registryJson = JSON.parse(readFileSync(fromProjectRoot('schema', 'members.json'), 'utf8')) as {
  members: Array<{
    id: string;
    staffTarget: { kind: string };
    populationSeries: Array<RegistryFigure & { count: number }>;
    populationShares: Array<RegistryFigure & { share: number }>;
  }>;
};
const registryMember = (id: string) => registryJson.members.find((member) => member.id === id)!;
/** "The latest figure not after the reporting year; where the city has none that early, its earliest." */
function figureFor<Figure extends RegistryFigure>(figures: Figure[], year: number): Figure {
  const byYear = [...figures].sort((a, b) => a.year - b.year);
  return byYear.filter((figure) => figure.year <= year).at(-1) ?? byYear[0]!;
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

  it("states the staff commitment as the fixed 33 % headline it is, not as parity", async () => {
    const { body } = await federation.query<ForumProgressData>(contractOperation('forum-progress'), { year: YEAR });
    const staff = body.data!.forum.commitments.find((commitment) => commitment.id === 'staff-share')!;
    expect(staff).toMatchObject({ targetKind: 'FIXED', targetShare: 0.33 });
    expect(staff.title).toMatch(/33 %/);
    expect(staff.title).not.toMatch(/Bevölkerung/);
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
    const expected = projectionByContract(series, 0.33);
    expect(expected.status).toBe('REACHES');
    expect(projection.reachesTargetIn).toBe(expected.reachesTargetIn);
    expect(projection.reachesTargetIn).toBeGreaterThan(2024);
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

describe('StaffUncertainty', () => {
  let answer: StaffUncertaintyData;
  let comparison: CityComparisonData;
  const staffOf = (id: string) => answer.forum.members.find((member) => member.id === id)!.staff!;

  beforeAll(async () => {
    const { status, body } = await federation.query<StaffUncertaintyData>(contractOperation('staff-uncertainty'), { year: YEAR });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    answer = body.data!;
    comparison = (await federation.query<CityComparisonData>(contractOperation('city-comparison'), { year: YEAR })).body.data!;
  });

  it('answers as written for the 8 members', () => {
    expect(answer.forum.members.map((member) => member.id).sort()).toEqual(MEMBER_IDS);
    expect(answer.forum.staffProgress.year).toBe(YEAR);
  });

  it('gives each survey share its 95 % Wilson interval with the finite population correction, by the formula', () => {
    let checked = 0;
    for (const { id, staff } of answer.forum.members) {
      const { headcount, respondents, withMigrationHistory, share, shareInterval } = staff!;
      if (share === null) continue;
      checked += 1;
      const expected = intervalByDefinition(withMigrationHistory!, respondents!, (headcount! - respondents!) / (headcount! - 1));
      expect({ id, lower: shareInterval!.lower }).toEqual({ id, lower: expect.closeTo(expected.lower, 9) });
      expect({ id, upper: shareInterval!.upper }).toEqual({ id, upper: expect.closeTo(expected.upper, 9) });
      expect(shareInterval!.level).toBe(0.95);
      expect(shareInterval!.method).toMatch(/Wilson/);
      expect(0 <= shareInterval!.lower && shareInterval!.lower <= share && share <= shareInterval!.upper && shareInterval!.upper <= 1).toBe(true);
    }
    expect(checked).toBe(7);
  });

  it('never gives an interval wider than the plain Wilson interval', () => {
    for (const { staff } of answer.forum.members) {
      if (staff!.share === null) continue;
      const plain = intervalByDefinition(staff!.withMigrationHistory!, staff!.respondents!, 1);
      expect(staff!.shareInterval!.lower).toBeGreaterThanOrEqual(plain.lower - 1e-12);
      expect(staff!.shareInterval!.upper).toBeLessThanOrEqual(plain.upper + 1e-12);
    }
  });

  it('has no interval where the share is null, and then cannot judge the target (Herne)', () => {
    expect(staffOf('herne')).toMatchObject({ share: null, shareInterval: null, targetStatus: 'UNKNOWN' });
  });

  it("judges each city's share against its own target with the interval", () => {
    for (const { id, staff } of answer.forum.members) {
      expect({ id, status: staff!.targetStatus }).toEqual({ id, status: statusByContract(staff!.shareInterval, staff!.target?.share) });
    }
    // Herne cannot be judged and the others can: the rule is exercised beyond one outcome.
    expect(new Set(answer.forum.members.map(({ staff }) => staff!.targetStatus)).size).toBeGreaterThan(1);
  });

  it('withholds a unit\'s interval wherever a count behind it is withheld, and gives it where all are shown', async () => {
    const BY_UNIT = `query ($year: Int!) { forum { members { id staff(year: $year) { byUnit {
      unit headcount respondents withMigrationHistory share suppressed { field } shareInterval { lower upper level }
    } } } } }`;
    type Unit = { unit: string; headcount: number | null; respondents: number | null; withMigrationHistory: number | null; share: number | null; suppressed: Array<{ field: string }>; shareInterval: { lower: number; upper: number; level: number } | null };
    const { body } = await federation.query<{ forum: { members: Array<{ id: string; staff: { byUnit: Unit[] | null } }> } }>(BY_UNIT, { year: YEAR }, {
      token: federation.token({ roles: ['member'] }),
    });
    expect(body.errors).toBeUndefined();
    const units = body.data!.forum.members.flatMap((member) => member.staff.byUnit ?? []);
    const withheld = units.filter((unit) => unit.suppressed.length > 0);
    expect(withheld.length).toBeGreaterThan(0);
    for (const unit of units) {
      const complete = unit.headcount !== null && unit.respondents !== null && unit.withMigrationHistory !== null;
      if (!complete) {
        expect({ unit: unit.unit, shareInterval: unit.shareInterval }).toEqual({ unit: unit.unit, shareInterval: null });
        continue;
      }
      const expected = intervalByDefinition(unit.withMigrationHistory!, unit.respondents!, (unit.headcount! - unit.respondents!) / (unit.headcount! - 1));
      expect(unit.shareInterval!.lower).toBeCloseTo(expected.lower, 9);
      expect(unit.shareInterval!.upper).toBeCloseTo(expected.upper, 9);
    }
    // A withheld count is never recoverable from an interval: every unit with a withheld cell has none.
    expect(withheld.every((unit) => unit.shareInterval === null)).toBe(true);
  });

  it('estimates the forum-wide share weighted by headcount, and judges that one against the 33 % headline', () => {
    const progress = answer.forum.staffProgress;
    const reporting = progress.citiesReporting.map((city) => city.id);
    const both = reporting.map(staffOf).filter((staff) => staff.headcount !== null && staff.share !== null);
    const weighted = both.reduce((sum, staff) => sum + staff.headcount! * staff.share!, 0) / both.reduce((sum, staff) => sum + staff.headcount!, 0);
    const estimate = progress.weightedEstimate!;
    expect(estimate.share).toBeCloseTo(weighted, 12);
    expect(estimate.lower).toBeLessThanOrEqual(estimate.share);
    expect(estimate.share).toBeLessThanOrEqual(estimate.upper);
    expect(estimate.lower).toBeGreaterThanOrEqual(0);
    expect(estimate.upper).toBeLessThanOrEqual(1);
    expect(estimate.level).toBe(0.95);
    expect(estimate.method).toMatch(/variance/);
    expect(progress.targetShare).toBe(0.33);
    expect(progress.targetStatus).toBe(statusByContract(estimate, progress.targetShare));
  });

  it('keeps pooledShare pooled over respondents, which differs from the weighted estimate where response rates differ', () => {
    const progress = answer.forum.staffProgress;
    const reporting = progress.citiesReporting.map((city) => city.id).map(staffOf);
    const pooled = reporting.reduce((sum, staff) => sum + staff.withMigrationHistory!, 0) / reporting.reduce((sum, staff) => sum + staff.respondents!, 0);
    expect(progress.pooledShare).toBeCloseTo(pooled, 12);
    const responseRates = new Set(reporting.map((staff) => (staff.respondents! / staff.headcount!).toFixed(3)));
    expect(responseRates.size).toBeGreaterThan(1);
    expect(Math.abs(progress.pooledShare! - progress.weightedEstimate!.share)).toBeGreaterThan(1e-6);
  });

  it("computes the weighted estimate's interval from the cities' corrected variances at the effective sample size", () => {
    // The README leaves the combination to `method`; this checks the one it names (Korn and Graubard 1998).
    const progress = answer.forum.staffProgress;
    const both = progress.citiesReporting.map((city) => staffOf(city.id)).filter((staff) => staff.headcount !== null && staff.share !== null);
    const total = both.reduce((sum, staff) => sum + staff.headcount!, 0);
    const variance = both.reduce((sum, staff) => {
      const weight = staff.headcount! / total;
      return sum + weight * weight * (1 - staff.respondents! / staff.headcount!) * staff.share! * (1 - staff.share!) / (staff.respondents! - 1);
    }, 0);
    const share = progress.weightedEstimate!.share;
    const effective = Math.min(both.reduce((sum, staff) => sum + staff.respondents!, 0), share * (1 - share) / variance);
    const expected = intervalByDefinition(share * effective, effective, 1);
    expect(progress.weightedEstimate!.lower).toBeCloseTo(expected.lower, 9);
    expect(progress.weightedEstimate!.upper).toBeCloseTo(expected.upper, 9);
  });

  it.each([2024, 2016, 2011])('computes POPULATION_PARITY targets of %i from the population figure of that year, never typed in', async (year) => {
    const { body } = await federation.query<StaffUncertaintyData>(contractOperation('staff-uncertainty'), { year });
    expect(body.errors).toBeUndefined();
    for (const { id, staff } of body.data!.forum.members) {
      const target = staff!.target!;
      if (registryMember(id).staffTarget.kind !== 'POPULATION_PARITY') {
        expect(target.kind).toBe('FIXED');
        continue;
      }
      const figure = figureFor(registryMember(id).populationShares, year);
      const kind = figure.year > year ? 'ESTIMATE' : figure.provenance;
      expect({ id, target }).toEqual({ id, target: { kind: 'POPULATION_PARITY', share: figure.share, basisYear: figure.year, provenance: { kind } } });
    }
    if (year === 2011) {
      // Dortmund's earliest share is of 2014: it stands in for 2011, as an estimate.
      expect(body.data!.forum.members.find((member) => member.id === 'dortmund')!.staff!.target).toMatchObject({ share: 0.301, basisYear: 2014, provenance: { kind: 'ESTIMATE' } });
    }
  });

  it('reports the population-weighted parity share of the reporting cities beside the 33 % headline', () => {
    const progress = answer.forum.staffProgress;
    const cities = progress.citiesReporting.map((city) => registryMember(city.id));
    const population = (member: (typeof cities)[number]) => figureFor(member.populationSeries, YEAR).count;
    const expected =
      cities.reduce((sum, member) => sum + population(member) * figureFor(member.populationShares, YEAR).share, 0) /
      cities.reduce((sum, member) => sum + population(member), 0);
    expect(progress.populationParityShare).toBeCloseTo(expected, 12);
    expect(progress.populationParityShare).not.toBe(progress.targetShare);
  });

  it('says what the forum-wide figure is made of: one entry per provenance kind, adding up to the reporting cities', () => {
    const progress = answer.forum.staffProgress;
    const mix = progress.provenanceMix;
    expect(new Set(mix.map((entry) => entry.kind)).size).toBe(mix.length);
    expect(mix.reduce((sum, entry) => sum + entry.cities, 0)).toBe(progress.citiesReporting.length);
    const provenanceOf = new Map(comparison.forum.members.map((member) => [member.id, member.staff!.provenance.kind]));
    for (const entry of mix) {
      const cities = progress.citiesReporting.filter((city) => provenanceOf.get(city.id) === entry.kind).map((city) => staffOf(city.id));
      expect(entry).toEqual({ kind: entry.kind, cities: cities.length, respondents: cities.reduce((sum, staff) => sum + staff.respondents!, 0) });
      expect(entry.cities).toBeGreaterThan(0);
    }
  });

  it('gives the projection a status, and reachesTargetIn only when the trend reaches the target after the latest year', async () => {
    for (const { id, staff, staffProjection } of answer.forum.members) {
      const trend = await federation.query<CityTrendData>(contractOperation('city-trend'), { id, from: 2008, to: 2100 });
      const series = trend.body.data!.municipality!.staffSeries!.flatMap((entry) => (entry.share === null ? [] : [{ year: entry.year, share: entry.share }]));
      // The latest reported year is the year asked, so the projection judges against that year's target.
      expect({ id, targetShare: staffProjection!.targetShare }).toEqual({ id, targetShare: staff!.target!.share });
      expect({ id, ...staffProjection }).toEqual({ id, targetShare: staff!.target!.share, ...projectionByContract(series, staff!.target!.share) });
    }
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
