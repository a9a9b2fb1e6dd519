import { suppressBreakdown, suppressColumn } from '../../services/common/domain/suppression';

describe('suppressColumn', () => {
  it('hides counts of 1 and 2, shows 0 and 3', () => {
    expect(suppressColumn([0, 1, 2, 3, null], false)).toEqual([null, 'SMALL_COUNT', 'SMALL_COUNT', null, null]);
  });

  it('hides one more cell when a published total would give a single hidden cell away', () => {
    // total 120: without the complement, 120 - (50 + 40 + 28) = 2 reveals the hidden cell.
    expect(suppressColumn([50, 2, 40, 28], true)).toEqual([null, 'SMALL_COUNT', null, 'COMPLEMENTARY']);
  });

  it('keeps hiding until the hidden cells hold at least 3 together', () => {
    // Two hidden ones of 1 each would sum to 2: both must be 1. A third cell joins them.
    expect(suppressColumn([1, 1, 9, 40], true)).toEqual(['SMALL_COUNT', 'SMALL_COUNT', 'COMPLEMENTARY', null]);
  });

  it('picks the smallest non-zero cell as the complement, never a zero', () => {
    expect(suppressColumn([0, 2, 7, 5], true)).toEqual([null, 'SMALL_COUNT', null, 'COMPLEMENTARY']);
  });

  it('needs no complement without small counts', () => {
    expect(suppressColumn([10, 20, 30], true)).toEqual([null, null, null]);
  });

  it('cannot complement when nothing else is non-zero, and keeps the small count hidden', () => {
    expect(suppressColumn([0, 2, 0], true)).toEqual([null, 'SMALL_COUNT', null]);
  });
});

describe('suppressBreakdown', () => {
  it('nulls the hidden values and says which and why', () => {
    const rows = [
      { unit: 'a', headcount: 40, withMigrationHistory: 2 },
      { unit: 'b', headcount: 30, withMigrationHistory: 9 },
      { unit: 'c', headcount: 20, withMigrationHistory: 5 },
    ];
    const result = suppressBreakdown(rows, ['headcount', 'withMigrationHistory'], true);
    expect(result.map(({ row }) => row.withMigrationHistory)).toEqual([null, 9, null]);
    expect(result[0]!.suppressed).toEqual([{ field: 'withMigrationHistory', reason: 'SMALL_COUNT' }]);
    expect(result[2]!.suppressed).toEqual([{ field: 'withMigrationHistory', reason: 'COMPLEMENTARY' }]);
    expect(rows[0]!.withMigrationHistory).toBe(2);
  });
});
