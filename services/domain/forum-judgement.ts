/**
 * The forum-wide figures beside the pooled share: the headcount-weighted estimate that is judged, the parity benchmark,
 * the provenance mix, and "more trainees" judged city by city (docs/methods.md). Plain functions over the cities'
 * annual counts, as the forum receives them through the gateway.
 */
import { headcountWeightedEstimate, type WeightedEstimate } from './intervals';
import { memberSinceYear, parityBasisOf, populationCountFor, type MemberFacts } from './members';
import type { AnnualCounts, MemberFigures } from './progress';
import { ratio, roundHalfAwayFromZero } from './shares';
import {
  judgeIncrease,
  populationWeightedParity,
  provenanceMix,
  type FigureProvenance,
  type IncreaseJudgement,
  type PopulationDefinition,
  type PopulationShareFigure,
  type ProvenanceShare,
} from './targets';

function countsOf(members: ReadonlyArray<MemberFigures>, member: MemberFacts, year: number): AnnualCounts | undefined {
  return members.find((entry) => entry.member.id === member.id)?.annual?.find((counts) => counts.year === year);
}

export interface ForumWeightedEstimate extends WeightedEstimate {
  /** Staff of the cities the estimate covers: the reporting cities with a headcount. */
  headcount: number;
  cities: number;
}

/**
 * The forum-wide staff share, each reporting city weighted by its headcount (a stratified estimate), with its 95 %
 * interval. Only reporting cities that also report their headcount take part; null when none does.
 */
export function weightedStaffEstimate(members: ReadonlyArray<MemberFigures>, reporting: readonly MemberFacts[], year: number): ForumWeightedEstimate | null {
  const strata = reporting.flatMap((member) => {
    const counts = countsOf(members, member, year);
    const { staffHeadcount: headcount, staffRespondents: respondents, staffWithMigrationHistory: withMigrationHistory } = counts ?? {};
    return headcount != null && headcount > 0 && respondents != null && respondents > 0 && withMigrationHistory != null
      ? [{ headcount, respondents, withMigrationHistory }]
      : [];
  });
  const estimate = headcountWeightedEstimate(strata);
  if (!estimate) return null;
  return { ...estimate, headcount: strata.reduce((sum, stratum) => sum + stratum.headcount, 0), cities: strata.length };
}

export interface CityParityBasis<M extends MemberFacts = MemberFacts> {
  member: M;
  figure: M['populationShares'][number];
  /** ESTIMATE when the share is one, or stands in for an earlier year. */
  provenance: FigureProvenance;
  /** The population count the city weighs with in the forum's benchmark. */
  population: number;
}

export interface ForumParityBenchmark<M extends MemberFacts = MemberFacts> {
  share: number;
  definitions: PopulationDefinition[];
  cities: Array<CityParityBasis<M>>;
}

/**
 * The forum-wide parity benchmark of a year: each given city's parity share of that year (the latest population share
 * not after it, else the earliest), weighted by its population of that year by the same rule.
 */
export function forumParity<M extends MemberFacts>(cities: readonly M[], year: number): ForumParityBenchmark<M> | null {
  const bases = cities.map((member): CityParityBasis<M> => {
    const { figure, provenance } = parityBasisOf<PopulationShareFigure>(member, year);
    return { member, figure, provenance, population: populationCountFor(member, year).count };
  });
  const parity = populationWeightedParity(
    bases.map(({ population, figure }) => ({ population, share: figure.share, definition: figure.definition })),
  );
  return parity && { ...parity, cities: bases };
}

/** Which count a forum-wide figure is made of, and whose provenance applies. */
export type MixedFigure = 'staff' | 'trainees' | 'training';

const MIX_COUNTS: Record<MixedFigure, (counts: AnnualCounts) => { provenance: FigureProvenance | null; people: number | null }> = {
  staff: (counts) => ({ provenance: counts.staffProvenance, people: counts.staffRespondents }),
  trainees: (counts) => ({ provenance: counts.traineeProvenance, people: counts.traineeIntake }),
  training: (counts) => ({ provenance: counts.jobcenterTrainingProvenance, people: counts.jobcenterStaffInScope }),
};

/**
 * What a forum-wide figure is made of: per provenance kind, the reporting cities and the people behind their figures
 * (survey respondents for staff, the intake for trainees, Jobcenter staff in scope for training). Every reporting city
 * is in exactly one entry; a city whose provenance did not come is counted as an ESTIMATE, the least sure kind.
 */
export function provenanceMixOf(
  members: ReadonlyArray<MemberFigures>,
  reporting: readonly MemberFacts[],
  year: number,
  figure: MixedFigure,
): ProvenanceShare[] {
  return provenanceMix(
    reporting.map((member) => {
      const counts = countsOf(members, member, year);
      const { provenance, people } = counts ? MIX_COUNTS[figure](counts) : { provenance: null, people: null };
      return { provenance: provenance ?? 'ESTIMATE', respondents: people ?? 0 };
    }),
  );
}

export interface CityIncrease<M extends MemberFacts = MemberFacts> extends IncreaseJudgement {
  member: M;
}

export interface IncreaseSummary<M extends MemberFacts = MemberFacts> {
  cities: Array<CityIncrease<M>>;
  rose: number;
  didNotRise: number;
  unknown: number;
}

/**
 * "More trainees with a migration history", judged for each reporting city: did its trainee share rise since its first
 * reported year as a member? Forum-wide, the cities that rose, did not, or cannot be judged are counted; the cities'
 * baselines lie in different years, so no forum-wide baseline share is made up from them.
 */
export function traineeIncrease<M extends MemberFacts>(members: ReadonlyArray<MemberFigures>, reporting: readonly M[], year: number): IncreaseSummary<M> {
  const cities = reporting.map((member) => {
    const annual = members.find((entry) => entry.member.id === member.id)?.annual ?? [];
    const series = annual.map((counts) => ({ year: counts.year, share: ratio(counts.traineesWithMigrationHistory, counts.traineeIntake) }));
    const judgement = judgeIncrease(series, memberSinceYear(member), year);
    return {
      member,
      ...judgement,
      changePoints: judgement.changePoints === null ? null : roundHalfAwayFromZero(judgement.changePoints, 2),
    };
  });
  const count = (status: IncreaseJudgement['status']) => cities.filter((city) => city.status === status).length;
  return { cities, rose: count('ROSE'), didNotRise: count('DID_NOT_RISE'), unknown: count('UNKNOWN') };
}
