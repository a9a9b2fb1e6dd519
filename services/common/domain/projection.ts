/**
 * When does a city reach its staff target at its current pace? The query contract fixes the method: the
 * least-squares trend of the last five reported years, and the first year in which that trend meets the target.
 */

export interface YearShare {
  year: number;
  share: number;
}

export interface TargetProjection {
  /** Slope of the trend in percentage points per year; null with fewer than two reported years. */
  yearlyChangePoints: number | null;
  /** First year in which the trend meets the target; null if it never does (or the trend or target is unknown). */
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
  if (!trend) return { yearlyChangePoints: null, reachesTargetIn: null, basedOnYears };

  const yearlyChangePoints = trend.slope * 100;
  if (targetShare == null) return { yearlyChangePoints, reachesTargetIn: null, basedOnYears };

  const firstYear = basedOnYears[0]!;
  const trendAt = (year: number) => trend.intercept + trend.slope * year;
  if (trendAt(firstYear) >= targetShare - EPSILON) return { yearlyChangePoints, reachesTargetIn: firstYear, basedOnYears };
  if (trend.slope <= 0) return { yearlyChangePoints, reachesTargetIn: null, basedOnYears };

  let year = Math.max(firstYear, Math.ceil((targetShare - trend.intercept) / trend.slope - EPSILON));
  // The closed form can land one year off through rounding; step to the exact first year.
  while (trendAt(year - 1) >= targetShare - EPSILON && year - 1 >= firstYear) year -= 1;
  while (trendAt(year) < targetShare - EPSILON) year += 1;
  return { yearlyChangePoints, reachesTargetIn: year, basedOnYears };
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
