/**
 * Shares and gaps as the query contract defines them. Null stays null: a figure a city does not record is a
 * different fact from zero, and must not turn into a share of 0 %.
 */

/** `numerator / denominator`, or null when either is unknown or the denominator is 0. */
export function ratio(numerator: number | null | undefined, denominator: number | null | undefined): number | null {
  if (numerator == null || denominator == null || denominator === 0) return null;
  return numerator / denominator;
}

/** Rounds half away from zero to `decimals` places, without the binary drift of `x.toFixed()` (1.005 -> 1.01). */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Math.abs(value) * factor;
  const rounded = Math.round(Number(scaled.toPrecision(15))) / factor;
  return Math.sign(value) * rounded || 0;
}

/** How many percentage points a share lies below its target (negative: above), rounded to 2 decimals. */
export function gapPoints(targetShare: number | null | undefined, share: number | null | undefined): number | null {
  if (targetShare == null || share == null) return null;
  return roundHalfAwayFromZero((targetShare - share) * 100, 2);
}
