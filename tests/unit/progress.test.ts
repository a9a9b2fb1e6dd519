import { jobcenterTraining, poolProgress, staffShare, type AnnualCounts, type MemberFigures } from '../../services/domain/progress';
import { loadRegistry, type Member } from '../../services/common/registry';

const registry = loadRegistry();
const member = (id: string): Member => registry.members.find((candidate) => candidate.id === id)!;

const counts = (year: number, respondents: number | null, withMigrationHistory: number | null): AnnualCounts => ({
  year,
  staffRespondents: respondents,
  staffWithMigrationHistory: withMigrationHistory,
  traineeIntake: null,
  traineesWithMigrationHistory: null,
  jobcenterStaffInScope: 100,
  jobcenterTrainingCompleted: 50,
  staffHeadcount: respondents === null ? null : respondents * 2,
  staffProvenance: 'ESTIMATE',
  traineeProvenance: null,
  jobcenterTrainingProvenance: 'ESTIMATE',
});

const ids = (members: Array<{ id: string } | { member: Member }>) =>
  members.map((entry) => ('member' in entry ? entry.member.id : entry.id));

describe('poolProgress', () => {
  const figures: Array<MemberFigures<Member>> = [
    { member: member('duisburg'), annual: [counts(2024, 1000, 200)] },
    { member: member('essen'), annual: [counts(2024, 3000, 900)] },
    { member: member('bochum'), annual: null },
    { member: member('herne'), annual: [counts(2024, null, null)] },
    { member: member('dortmund'), annual: [counts(2023, 1000, 100)] },
    { member: member('gelsenkirchen'), annual: [counts(2012, 500, 50)] },
  ];

  it('pools over the reporting cities, each weighing with its size', () => {
    const progress = poolProgress(figures, 2024, staffShare, 0.33);
    expect(progress.pooledShare).toBeCloseTo(1100 / 4000, 12);
    expect(progress.gapPoints).toBe(5.5);
    expect(ids(progress.citiesReporting)).toEqual(['duisburg', 'essen']);
  });

  it('says why each missing city is missing', () => {
    const progress = poolProgress(figures, 2024, staffShare, 0.33);
    expect(progress.missing.map(({ member: { id }, reason }) => [id, reason])).toEqual([
      ['bochum', 'UNAVAILABLE'],
      ['herne', 'NOT_RECORDED'],
      ['dortmund', 'NOT_REPORTED'],
      ['gelsenkirchen', 'NOT_REPORTED'],
    ]);
  });

  it('covers exactly the members of the year, reporting or missing', () => {
    const progress = poolProgress(figures, 2012, staffShare, 0.33);
    // Gelsenkirchen joined in 2014: its 2012 figures do not count for the forum.
    expect([...ids(progress.citiesReporting), ...ids(progress.missing)].sort()).toEqual(['bochum', 'dortmund', 'duisburg', 'essen', 'herne']);
  });

  it('has no pooled share when nobody reports', () => {
    const progress = poolProgress(figures, 2030, staffShare, 0.33);
    expect(progress.pooledShare).toBeNull();
    expect(progress.gapPoints).toBeNull();
    expect(progress.citiesReporting).toEqual([]);
  });

  it('counts Jobcenter training for cities that record no migration history', () => {
    const progress = poolProgress(figures, 2024, jobcenterTraining, 1);
    expect(ids(progress.citiesReporting)).toEqual(['duisburg', 'essen', 'herne']);
    expect(progress.pooledShare).toBe(0.5);
    expect(progress.gapPoints).toBe(50);
  });
});
