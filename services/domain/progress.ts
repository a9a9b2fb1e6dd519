import { memberSinceYear, type MemberFacts } from './members';
import { gapPoints, ratio } from './shares';
import type { FigureProvenance } from './targets';

/** The yearly headline counts a city reports; the same fields as the `AnnualFigures` GraphQL type. */
export interface AnnualCounts {
  year: number;
  staffRespondents: number | null;
  staffWithMigrationHistory: number | null;
  traineeIntake: number | null;
  traineesWithMigrationHistory: number | null;
  jobcenterStaffInScope: number | null;
  jobcenterTrainingCompleted: number | null;
  staffHeadcount: number | null;
  staffProvenance: FigureProvenance | null;
  traineeProvenance: FigureProvenance | null;
  jobcenterTrainingProvenance: FigureProvenance | null;
}

/** A member with its reported years; `annual` is null when its service could not be reached. */
export interface MemberFigures<M extends MemberFacts = MemberFacts> {
  member: M;
  annual: ReadonlyArray<AnnualCounts> | null;
}

export type MissingReason = 'UNAVAILABLE' | 'NOT_RECORDED' | 'NOT_REPORTED';

export interface MissingMember<M extends MemberFacts = MemberFacts> {
  member: M;
  reason: MissingReason;
}

export interface PooledProgress<M extends MemberFacts = MemberFacts> {
  year: number;
  /** Sum of the numerators over the reporting cities (e.g. staff with a migration history). */
  numerator: number | null;
  /** Sum of the denominators over the reporting cities (e.g. survey respondents). */
  denominator: number | null;
  /** numerator / denominator: each city weighs with its size, as a forum-wide head count would. */
  pooledShare: number | null;
  targetShare: number | null;
  gapPoints: number | null;
  citiesReporting: M[];
  missing: Array<MissingMember<M>>;
}

interface Measure {
  /** Whether the city records this measure at all; cities that do not are missing as NOT_RECORDED. */
  recorded: (member: MemberFacts) => boolean;
  numerator: (counts: AnnualCounts) => number | null;
  denominator: (counts: AnnualCounts) => number | null;
}

export const staffShare: Measure = {
  recorded: (member) => member.records.migrationHistory,
  numerator: (counts) => counts.staffWithMigrationHistory,
  denominator: (counts) => counts.staffRespondents,
};

export const traineeShare: Measure = {
  recorded: (member) => member.records.migrationHistory,
  numerator: (counts) => counts.traineesWithMigrationHistory,
  denominator: (counts) => counts.traineeIntake,
};

export const jobcenterTraining: Measure = {
  recorded: () => true,
  numerator: (counts) => counts.jobcenterTrainingCompleted,
  denominator: (counts) => counts.jobcenterStaffInScope,
};

/** Members in a given year: those who had joined by then. */
export function membersInYear<M extends MemberFacts>(members: ReadonlyArray<MemberFigures<M>>, year: number): Array<MemberFigures<M>> {
  return members.filter(({ member }) => memberSinceYear(member) <= year);
}

/**
 * Pools one measure over the members of a year. `citiesReporting` and `missing` are disjoint and together are
 * exactly that year's members, as the query contract requires.
 */
export function poolProgress<M extends MemberFacts>(
  members: ReadonlyArray<MemberFigures<M>>,
  year: number,
  measure: Measure,
  targetShare: number | null,
): PooledProgress<M> {
  const citiesReporting: M[] = [];
  const missing: Array<MissingMember<M>> = [];
  let numerator: number | null = null;
  let denominator: number | null = null;

  for (const { member, annual } of membersInYear(members, year)) {
    if (annual === null) {
      missing.push({ member, reason: 'UNAVAILABLE' });
      continue;
    }
    if (!measure.recorded(member)) {
      missing.push({ member, reason: 'NOT_RECORDED' });
      continue;
    }
    const counts = annual.find((entry) => entry.year === year);
    const cityNumerator = counts ? measure.numerator(counts) : null;
    const cityDenominator = counts ? measure.denominator(counts) : null;
    if (cityNumerator == null || cityDenominator == null || cityDenominator === 0) {
      missing.push({ member, reason: 'NOT_REPORTED' });
      continue;
    }
    citiesReporting.push(member);
    numerator = (numerator ?? 0) + cityNumerator;
    denominator = (denominator ?? 0) + cityDenominator;
  }

  const pooledShare = ratio(numerator, denominator);
  return {
    year,
    numerator,
    denominator,
    pooledShare,
    targetShare,
    gapPoints: gapPoints(targetShare, pooledShare),
    citiesReporting,
    missing,
  };
}
