/**
 * When does a city reach its staff target at its current pace? The query contract fixes the method: the
 * least-squares trend of the last five reported years, its status against the target, and the first year after
 * the latest reported year in which that trend meets the target.
 */

export interface YearShare {
  year: number;
  share: number;
}

/**
 * What the trend says about the target (the query contract's `staffProjection.status`): the trend meets it in the
 * latest reported year and is not falling (ALREADY_MET) or is falling (FALLS_BELOW); it is below the target then and
 * rising (REACHES) or not rising (NEVER); UNKNOWN with fewer than two reported years or without a target.
 */
export type ProjectionStatus = 'ALREADY_MET' | 'FALLS_BELOW' | 'REACHES' | 'NEVER' | 'UNKNOWN';

export interface TargetProjection {
  status: ProjectionStatus;
  /** Slope of the trend in percentage points per year; null with fewer than two reported years. */
  yearlyChangePoints: number | null;
  /** With status REACHES: the first year after the latest reported year in which the trend meets the target; else null. */
  reachesTargetIn: number | null;
  /** The reported years the trend was fitted to. */
  basedOnYears: number[];
}

export const PROJECTION_WINDOW_YEARS = 5;

/** Floating-point slack when comparing the trend with the target, so that an exact hit counts as reached. */
const EPSILON = 1e-9;

export function projectTarget(series: ReadonlyArray<YearShare>, targetShare: number | null): TargetProjection {
  const window = [...series].sort((a, b) => a.year - b.year).slice(-PROJECTION_WINDOW_YEARS);
  const basedOnYears = window.map((point) => point.year);
  const trend = leastSquares(window);
  if (!trend) return { status: 'UNKNOWN', yearlyChangePoints: null, reachesTargetIn: null, basedOnYears };

  const yearlyChangePoints = trend.slope * 100;
  if (targetShare == null) return { status: 'UNKNOWN', yearlyChangePoints, reachesTargetIn: null, basedOnYears };

  const latestYear = basedOnYears.at(-1)!;
  const trendAt = (year: number) => trend.intercept + trend.slope * year;
  const falling = trend.slope < -EPSILON;
  if (trendAt(latestYear) >= targetShare - EPSILON) {
    return { status: falling ? 'FALLS_BELOW' : 'ALREADY_MET', yearlyChangePoints, reachesTargetIn: null, basedOnYears };
  }
  if (trend.slope <= EPSILON) return { status: 'NEVER', yearlyChangePoints, reachesTargetIn: null, basedOnYears };

  let year = Math.max(latestYear + 1, Math.ceil((targetShare - trend.intercept) / trend.slope - EPSILON));
  // The closed form can land one year off through rounding; step to the exact first year.
  while (year - 1 > latestYear && trendAt(year - 1) >= targetShare - EPSILON) year -= 1;
  while (trendAt(year) < targetShare - EPSILON) year += 1;
  return { status: 'REACHES', yearlyChangePoints, reachesTargetIn: year, basedOnYears };
}

/** Ordinary least squares over (year, share); null with fewer than two distinct years. */
export function leastSquares(points: ReadonlyArray<YearShare>): { slope: number; intercept: number } | null {
  if (points.length < 2) return null;
  const meanYear = points.reduce((sum, point) => sum + point.year, 0) / points.length;
  const meanShare = points.reduce((sum, point) => sum + point.share, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.year - meanYear) * (point.share - meanShare);
    variance += (point.year - meanYear) ** 2;
  }
  if (variance === 0) return null;
  const slope = covariance / variance;
  return { slope, intercept: meanShare - slope * meanYear };
}
