/**
 * Rules about a member city itself: since when it counts, which population figures stand for a year, what share its
 * staff should reach.
 */
import { COOPERATION_BEGAN } from './cooperation';
import { parityBasis, type ParityBasis, type PopulationShareFigure } from './targets';

/** One year's inhabitants, as a city's registry entry lists them. */
export interface PopulationCountFigure {
  year: number;
  count: number;
}

/**
 * What the rules read of a member city. The registry (services/common/registry.ts) validates members with these facts
 * and more; the rules hand back the members they are given, with whatever else those carry.
 */
export interface MemberFacts {
  id: string;
  membership: { since: string };
  records: { migrationHistory: boolean };
  staffTarget: { kind: 'FIXED'; share: number } | { kind: 'POPULATION_PARITY' };
  /** In year order, at least one. */
  populationSeries: readonly PopulationCountFigure[];
  /** In year order, at least one. */
  populationShares: readonly PopulationShareFigure[];
}

/** The year from which a city counts as a member. */
export function memberSinceYear(member: Pick<MemberFacts, 'membership'>): number {
  return Number(member.membership.since.slice(0, 4));
}

/** The years a city may submit figures for: from the year it joined (never before the cooperation began) to this year. */
export function submissionYears(member: Pick<MemberFacts, 'membership'>, today: Date = new Date()): { firstYear: number; lastYear: number } {
  return { firstYear: Math.max(COOPERATION_BEGAN, memberSinceYear(member)), lastYear: today.getUTCFullYear() };
}

/**
 * The population share a POPULATION_PARITY target for `year` rests on: the latest not after that year, else the
 * earliest, which makes the target an estimate (targets.ts, `parityBasis`). Every member has at least one.
 */
export function parityBasisOf<Share extends PopulationShareFigure>(member: { populationShares: readonly Share[] }, year: number): ParityBasis<Share> {
  return parityBasis(member.populationShares, year)!;
}

/** The population count for `year` by the same rule: the latest not after it, else the earliest. */
export function populationCountFor<Count extends PopulationCountFigure>(member: { populationSeries: readonly Count[] }, year: number): Count {
  const series = member.populationSeries;
  return series.filter((entry) => entry.year <= year).at(-1) ?? series[0]!;
}

/** The share a city's staff should reach in `year`: a stated share, or its population's share with a migration history. */
export function staffTargetShare(member: Pick<MemberFacts, 'staffTarget' | 'populationShares'>, year: number): number {
  return member.staffTarget.kind === 'FIXED' ? member.staffTarget.share : parityBasisOf(member, year).figure.share;
}
