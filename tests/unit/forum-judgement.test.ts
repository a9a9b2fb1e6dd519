import { forumParity, provenanceMixOf, traineeIncrease, weightedStaffEstimate } from '../../services/domain/forum-judgement';
import type { AnnualCounts, MemberFigures } from '../../services/domain/progress';
import { leastSure } from '../../services/domain/targets';
import { findMember, loadRegistry } from '../../services/common/registry';

const registry = loadRegistry();
const member = (id: string) => findMember(registry, id);

const year = (values: Partial<AnnualCounts> & { year: number }): AnnualCounts => ({
  staffRespondents: null,
  staffWithMigrationHistory: null,
  traineeIntake: null,
  traineesWithMigrationHistory: null,
  jobcenterStaffInScope: null,
  jobcenterTrainingCompleted: null,
  staffHeadcount: null,
  staffProvenance: null,
  traineeProvenance: null,
  jobcenterTrainingProvenance: null,
  ...values,
});

describe('weightedStaffEstimate', () => {
  const figures: MemberFigures[] = [
    // A city that answered well weighs with its 1,000 staff, not with its 900 respondents.
    { member: member('duisburg'), annual: [year({ year: 2024, staffHeadcount: 1000, staffRespondents: 900, staffWithMigrationHistory: 90 })] },
    { member: member('essen'), annual: [year({ year: 2024, staffHeadcount: 3000, staffRespondents: 300, staffWithMigrationHistory: 90 })] },
    { member: member('bochum'), annual: [year({ year: 2024, staffRespondents: 100, staffWithMigrationHistory: 50 })] },
  ];
  const reporting = [member('duisburg'), member('essen'), member('bochum')];

  it('weights each reporting city with a headcount by its staff, not by its respondents', () => {
    const estimate = weightedStaffEstimate(figures, reporting, 2024)!;
    expect(estimate.share).toBeCloseTo((1000 * 0.1 + 3000 * 0.3) / 4000, 12);
    expect(estimate).toMatchObject({ headcount: 4000, cities: 2, level: 0.95 });
    expect(estimate.lower).toBeLessThan(estimate.share);
    expect(estimate.upper).toBeGreaterThan(estimate.share);
  });

  it('has none when no reporting city gives its headcount', () => {
    expect(weightedStaffEstimate(figures, [member('bochum')], 2024)).toBeNull();
  });
});

describe('forumParity', () => {
  it("weights each city's parity share of the year by its population of the year, naming the definitions", () => {
    const parity = forumParity([member('dortmund'), member('muelheim')], 2024)!;
    expect(parity.share).toBeCloseTo((612065 * 0.41 + 175133 * 0.253) / (612065 + 175133), 12);
    expect(parity.definitions).toEqual(['MIGRATION_BACKGROUND', 'IMMIGRATION_HISTORY']);
  });

  it('takes the earliest figure where none is that early, and says it is an estimate', () => {
    const [dortmund] = forumParity([member('dortmund')], 2011)!.cities;
    expect(dortmund).toMatchObject({ figure: { year: 2014, share: 0.301 }, provenance: 'ESTIMATE', population: 593317 });
  });

  it('has none without cities', () => {
    expect(forumParity([], 2024)).toBeNull();
  });
});

describe('provenanceMixOf', () => {
  const figures: MemberFigures[] = [
    { member: member('duisburg'), annual: [year({ year: 2024, staffRespondents: 900, staffProvenance: 'SUBMITTED', traineeIntake: 40, traineeProvenance: 'OFFICIAL' })] },
    { member: member('essen'), annual: [year({ year: 2024, staffRespondents: 300, staffProvenance: 'ESTIMATE', traineeIntake: 60, traineeProvenance: 'OFFICIAL' })] },
    { member: member('bochum'), annual: [year({ year: 2024, staffRespondents: 100 })] },
  ];

  it('counts the reporting cities and the people behind their figures per kind; one without a kind as an estimate', () => {
    expect(provenanceMixOf(figures, [member('duisburg'), member('essen'), member('bochum')], 2024, 'staff')).toEqual([
      { kind: 'SUBMITTED', cities: 1, respondents: 900 },
      { kind: 'ESTIMATE', cities: 2, respondents: 400 },
    ]);
    expect(provenanceMixOf(figures, [member('duisburg'), member('essen')], 2024, 'trainees')).toEqual([{ kind: 'OFFICIAL', cities: 2, respondents: 100 }]);
  });
});

describe('traineeIncrease', () => {
  const trainees = (entries: Array<[number, number, number]>) =>
    entries.map(([y, intake, withMigrationHistory]) => year({ year: y, traineeIntake: intake, traineesWithMigrationHistory: withMigrationHistory }));
  const figures: MemberFigures[] = [
    { member: member('duisburg'), annual: trainees([[2009, 100, 50], [2010, 100, 10], [2024, 100, 20]]) },
    { member: member('essen'), annual: trainees([[2010, 100, 30], [2024, 100, 30]]) },
    // Gelsenkirchen's membership begins in 2014: its baseline is its first year as a member.
    { member: member('gelsenkirchen'), annual: trainees([[2013, 100, 40], [2014, 100, 10], [2024, 100, 15]]) },
    { member: member('bochum'), annual: trainees([[2024, 100, 20]]) },
  ];

  it('judges each city against its first reported year as a member, and counts the outcomes', () => {
    const result = traineeIncrease(figures, [member('duisburg'), member('essen'), member('gelsenkirchen'), member('bochum')], 2024);
    expect(result.cities.map(({ member: { id }, status, sinceYear, changePoints }) => ({ id, status, sinceYear, changePoints }))).toEqual([
      { id: 'duisburg', status: 'ROSE', sinceYear: 2010, changePoints: 10 },
      { id: 'essen', status: 'DID_NOT_RISE', sinceYear: 2010, changePoints: 0 },
      { id: 'gelsenkirchen', status: 'ROSE', sinceYear: 2014, changePoints: 5 },
      { id: 'bochum', status: 'UNKNOWN', sinceYear: 2024, changePoints: null },
    ]);
    expect(result).toMatchObject({ rose: 2, didNotRise: 1, unknown: 1 });
  });
});

describe('leastSure', () => {
  it('gives a figure made of parts the provenance of its least sure part', () => {
    expect(leastSure(['OFFICIAL', 'SUBMITTED'])).toBe('SUBMITTED');
    expect(leastSure(['OFFICIAL', 'ESTIMATE', 'SUBMITTED'])).toBe('ESTIMATE');
    expect(leastSure(['OFFICIAL'])).toBe('OFFICIAL');
    expect(leastSure([])).toBeNull();
  });
});
