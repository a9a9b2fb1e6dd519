/**
 * Statistical confidentiality for counts by organisational unit, as German statistical offices practise it:
 * counts of 1 or 2 are not published (primary suppression), and where a total is published, further cells are
 * hidden so that the total minus the shown cells does not give them away (complementary suppression).
 * A zero is shown: it describes nobody.
 */

export const MINIMUM_COUNT = 3;

export type SuppressionReason = 'SMALL_COUNT' | 'COMPLEMENTARY';

function isSmall(value: number | null): boolean {
  return value !== null && value > 0 && value < MINIMUM_COUNT;
}

/**
 * Which cells of one column to hide. With a published total, the hidden cells are always at least two and hold
 * at least the minimum together, so that no hidden cell can be worked out from the others and the total.
 */
export function suppressColumn(values: ReadonlyArray<number | null>, totalPublished: boolean): Array<SuppressionReason | null> {
  const reasons: Array<SuppressionReason | null> = values.map((value) => (isSmall(value) ? 'SMALL_COUNT' : null));
  if (!totalPublished) return reasons;
  const hidden = () => reasons.flatMap((reason, index) => (reason ? [values[index] ?? 0] : []));
  while (hidden().length > 0 && (hidden().length < 2 || hidden().reduce((sum, value) => sum + value, 0) < MINIMUM_COUNT)) {
    let candidate = -1;
    values.forEach((value, index) => {
      if (reasons[index] || value === null || value <= 0) return;
      if (candidate === -1 || value < (values[candidate] ?? Infinity)) candidate = index;
    });
    // Nothing left to hide behind: the small counts stay hidden, and the published total is all that shows.
    if (candidate === -1) break;
    reasons[candidate] = 'COMPLEMENTARY';
  }
  return reasons;
}

export interface SuppressedCell<Field extends string> {
  field: Field;
  reason: SuppressionReason;
}

/**
 * Applies `suppressColumn` to each named column of a breakdown: returns the rows with hidden values as null,
 * and per row which fields were hidden and why.
 */
export function suppressBreakdown<Row extends Record<Field, number | null>, Field extends string>(
  rows: readonly Row[],
  columns: readonly Field[],
  totalPublished: boolean,
): Array<{ row: Row; suppressed: Array<SuppressedCell<Field>> }> {
  const result = rows.map((row) => ({ row: { ...row }, suppressed: [] as Array<SuppressedCell<Field>> }));
  for (const column of columns) {
    suppressColumn(
      rows.map((row) => row[column]),
      totalPublished,
    ).forEach((reason, index) => {
      if (!reason) return;
      const entry = result[index]!;
      (entry.row as Record<Field, number | null>)[column] = null;
      entry.suppressed.push({ field: column, reason });
    });
  }
  return result;
}
