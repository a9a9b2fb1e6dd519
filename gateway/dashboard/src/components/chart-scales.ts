/**
 * A share axis fitted to what a chart shows (shares, interval bounds, targets) instead of a fixed 0 to 50 %: from the
 * lowest value (or from 0, where bars start there) to the highest, each rounded out to the next 5 %, within 0 to 100 %.
 */
export function shareDomain(values: ReadonlyArray<number | null | undefined>, { fromZero }: { fromZero: boolean }): [number, number] {
  const known = values.filter((value): value is number => value != null && Number.isFinite(value));
  if (known.length === 0) return [0, 1];
  const step = 0.05;
  const high = Math.max(...known);
  const low = fromZero ? 0 : Math.min(...known);
  const pad = Math.max((high - low) * 0.03, 0.005);
  const top = Math.min(1, Math.ceil((high + pad) / step) * step);
  const bottom = fromZero ? 0 : Math.max(0, Math.floor((low - pad) / step) * step);
  return [bottom, Math.max(top, bottom + step)];
}
