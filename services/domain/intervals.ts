/**
 * How sure a survey share is. Staff shares come from voluntary surveys: `respondents` of `headcount` staff
 * answered. The query contract fixes the interval: the Wilson score interval with a finite population
 * correction, at the 95 % level (docs/methods.md gives the method and its references).
 */

/** The normal quantile of a two-sided 95 % interval. */
export const Z_95 = 1.959964;
export const LEVEL_95 = 0.95;

export interface ShareInterval {
  lower: number;
  upper: number;
  level: number;
}

/** The share itself, bounded to [0, 1] against floating-point drift. */
function clampShare(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * The finite population correction (N - n) / (N - 1): 0 when everybody answered (a census has no sampling error),
 * close to 1 when few of many answered.
 */
export function finitePopulationCorrection(sampleSize: number, populationSize: number | null): number {
  if (populationSize == null) return 1;
  if (sampleSize >= populationSize) return 0;
  return (populationSize - sampleSize) / (populationSize - 1);
}

/**
 * The shares p with (p̂ - p)² <= z² · f · p (1 - p) / n, where f is the finite population correction: the roots
 * of (1 + k) p² - (2 p̂ + k) p + p̂² = 0 with k = z² f / n. With f = 1 this is the plain Wilson score interval
 * (Wilson 1927); with f = 0 (everybody answered) it is the share itself.
 */
export function wilsonIntervalWithFpc(
  successes: number,
  sampleSize: number,
  populationSize: number | null,
  z: number = Z_95,
): { lower: number; upper: number } | null {
  if (!(sampleSize > 0) || successes < 0 || successes > sampleSize) return null;
  const share = successes / sampleSize;
  const k = (z * z * finitePopulationCorrection(sampleSize, populationSize)) / sampleSize;
  const centre = (2 * share + k) / (2 * (1 + k));
  const halfWidth = Math.sqrt(Math.max(0, (2 * share + k) ** 2 - 4 * (1 + k) * share * share)) / (2 * (1 + k));
  // The interval always contains the share; rounding must not push a bound past it.
  return { lower: Math.min(share, clampShare(centre - halfWidth)), upper: Math.max(share, clampShare(centre + halfWidth)) };
}

/** A staff share's 95 % interval from its counts: null where a count is missing or withheld. */
export function staffShareInterval(
  withMigrationHistory: number | null | undefined,
  respondents: number | null | undefined,
  headcount: number | null | undefined,
): ShareInterval | null {
  if (withMigrationHistory == null || respondents == null) return null;
  const interval = wilsonIntervalWithFpc(withMigrationHistory, respondents, headcount ?? null);
  return interval && { ...interval, level: LEVEL_95 };
}

export const STAFF_SHARE_INTERVAL_METHOD =
  'Wilson score interval with finite population correction (N - n) / (N - 1), 95 %; n respondents of N staff';

/** One city's survey, as the forum-wide estimate combines them (a stratum of a stratified sample). */
export interface StratumSurvey {
  headcount: number;
  respondents: number;
  withMigrationHistory: number;
}

export interface WeightedEstimate extends ShareInterval {
  share: number;
  /** The effective sample size the interval was computed with. */
  effectiveSampleSize: number;
}

export const WEIGHTED_ESTIMATE_METHOD =
  'Headcount-weighted (stratified) estimate over the reporting cities; variance = sum of W² (1 - n/N) p (1 - p) / (n - 1) per city ' +
  '(finite population corrected); 95 % Wilson score interval with the effective sample size p (1 - p) / variance (Korn & Graubard 1998)';

/**
 * The forum-wide share of staff with a migration history, each city weighted by its headcount: the stratified
 * estimator Σ W_h p̂_h with W_h = N_h / Σ N. Its variance adds the cities' finite-population-corrected sampling
 * variances; the interval is the Wilson interval at the effective sample size n* = p̂ (1 - p̂) / Var (Korn and
 * Graubard 1998), so that it stays inside [0, 1] and behaves at shares near 0 or 1. When every city counted all
 * of its staff, the variance is 0 and the interval is the estimate itself.
 */
export function headcountWeightedEstimate(strata: ReadonlyArray<StratumSurvey>): WeightedEstimate | null {
  const usable = strata.filter((stratum) => stratum.headcount > 0 && stratum.respondents > 0);
  const totalHeadcount = usable.reduce((sum, stratum) => sum + stratum.headcount, 0);
  if (totalHeadcount === 0) return null;
  let share = 0;
  let variance = 0;
  let respondents = 0;
  for (const stratum of usable) {
    const weight = stratum.headcount / totalHeadcount;
    const stratumShare = stratum.withMigrationHistory / stratum.respondents;
    share += weight * stratumShare;
    respondents += stratum.respondents;
    if (stratum.respondents < stratum.headcount) {
      const correction = 1 - stratum.respondents / stratum.headcount;
      // n - 1 in the denominator: the unbiased sample variance; a single respondent of many says little.
      const perRespondent = stratum.respondents > 1 ? (stratumShare * (1 - stratumShare)) / (stratum.respondents - 1) : 0.25;
      variance += weight * weight * correction * perRespondent;
    }
  }
  share = clampShare(share);
  if (variance === 0) return { share, lower: share, upper: share, level: LEVEL_95, effectiveSampleSize: respondents };
  // At a share of 0 or 1 the design effect is undefined; the respondents themselves are then the sample size.
  const effectiveSampleSize = share > 0 && share < 1 ? Math.min(respondents, (share * (1 - share)) / variance) : respondents;
  const interval = wilsonIntervalWithFpc(share * effectiveSampleSize, effectiveSampleSize, null)!;
  return { share, ...interval, level: LEVEL_95, effectiveSampleSize };
}

export type TargetStatus = 'MET' | 'UNCERTAIN' | 'NOT_MET' | 'UNKNOWN';

/**
 * A share judged against its target with its interval, as the contract defines it: met when even the lower bound
 * reaches the target, not met when even the upper bound falls short, uncertain in between.
 */
export function judgeTarget(interval: { lower: number; upper: number } | null | undefined, targetShare: number | null | undefined): TargetStatus {
  if (interval == null || targetShare == null) return 'UNKNOWN';
  if (interval.lower >= targetShare) return 'MET';
  if (interval.upper < targetShare) return 'NOT_MET';
  return 'UNCERTAIN';
}
