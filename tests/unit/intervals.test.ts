import {
  finitePopulationCorrection,
  headcountWeightedEstimate,
  judgeTarget,
  staffShareInterval,
  wilsonIntervalWithFpc,
  Z_95,
} from '../../services/domain/intervals';

/** The contract's defining inequality: (p̂ - p)² <= z² (N - n) / (N - 1) p (1 - p) / n, checked at a bound. */
function onBoundary(p: number, successes: number, n: number, populationSize: number | null): number {
  const share = successes / n;
  const f = finitePopulationCorrection(n, populationSize);
  return (share - p) ** 2 - (Z_95 ** 2 * f * p * (1 - p)) / n;
}

describe('wilsonIntervalWithFpc', () => {
  it('has both bounds on the boundary of the contract inequality', () => {
    const interval = wilsonIntervalWithFpc(120, 400, 9000)!;
    expect(onBoundary(interval.lower, 120, 400, 9000)).toBeCloseTo(0, 12);
    expect(onBoundary(interval.upper, 120, 400, 9000)).toBeCloseTo(0, 12);
    expect(interval.lower).toBeLessThan(0.3);
    expect(interval.upper).toBeGreaterThan(0.3);
  });

  it('is the plain Wilson interval without a population size (Agresti & Coull 1998, table values)', () => {
    // 0 of 10: [0, 0.2775]; 10 of 10: [0.7225, 1]; 5 of 10: [0.2366, 0.7634].
    expect(wilsonIntervalWithFpc(0, 10, null)).toEqual({ lower: 0, upper: expect.closeTo(0.2775, 4) });
    expect(wilsonIntervalWithFpc(10, 10, null)).toEqual({ lower: expect.closeTo(0.7225, 4), upper: 1 });
    const half = wilsonIntervalWithFpc(5, 10, null)!;
    expect(half.lower).toBeCloseTo(0.2366, 4);
    expect(half.upper).toBeCloseTo(0.7634, 4);
  });

  it('is never wider than the plain Wilson interval and narrows as more of the staff answer', () => {
    let previousWidth = Infinity;
    for (const respondents of [100, 400, 1000, 2000, 2900]) {
      const plain = wilsonIntervalWithFpc(Math.round(respondents * 0.3), respondents, null)!;
      const corrected = wilsonIntervalWithFpc(Math.round(respondents * 0.3), respondents, 3000)!;
      expect(corrected.lower).toBeGreaterThanOrEqual(plain.lower);
      expect(corrected.upper).toBeLessThanOrEqual(plain.upper);
      const width = corrected.upper - corrected.lower;
      expect(width).toBeLessThan(previousWidth);
      previousWidth = width;
    }
  });

  it('is the share itself when every member of staff answered (a census)', () => {
    expect(wilsonIntervalWithFpc(1234, 4000, 4000)).toEqual({ lower: 1234 / 4000, upper: 1234 / 4000 });
    expect(wilsonIntervalWithFpc(1, 1, 1)).toEqual({ lower: 1, upper: 1 });
  });

  it('stays in [0, 1] and contains the share for tiny samples', () => {
    for (const [successes, n, population] of [
      [0, 1, 500],
      [1, 1, 500],
      [1, 2, 2000],
      [2, 3, 3],
      [0, 2, 3],
    ] as const) {
      const interval = wilsonIntervalWithFpc(successes, n, population)!;
      expect(interval.lower).toBeGreaterThanOrEqual(0);
      expect(interval.upper).toBeLessThanOrEqual(1);
      expect(interval.lower).toBeLessThanOrEqual(successes / n);
      expect(interval.upper).toBeGreaterThanOrEqual(successes / n);
    }
    // One respondent of many says almost nothing.
    expect(wilsonIntervalWithFpc(1, 1, 500)!.lower).toBeLessThan(0.25);
  });

  it('has no interval without respondents or with impossible counts', () => {
    expect(wilsonIntervalWithFpc(0, 0, 100)).toBeNull();
    expect(wilsonIntervalWithFpc(3, 2, 100)).toBeNull();
  });
});

describe('staffShareInterval', () => {
  it('is null where a count is missing or withheld', () => {
    expect(staffShareInterval(null, 400, 9000)).toBeNull();
    expect(staffShareInterval(100, null, 9000)).toBeNull();
  });

  it('falls back to the plain Wilson interval when the headcount is withheld', () => {
    expect(staffShareInterval(100, 400, null)).toEqual({ ...wilsonIntervalWithFpc(100, 400, null), level: 0.95 });
  });
});

describe('headcountWeightedEstimate', () => {
  it('weighs each city by its staff, not by its respondents', () => {
    // City A: 10,000 staff, 10 % answered, 40 % share; city B: 1,000 staff, all answered, 10 % share.
    const estimate = headcountWeightedEstimate([
      { headcount: 10_000, respondents: 1_000, withMigrationHistory: 400 },
      { headcount: 1_000, respondents: 1_000, withMigrationHistory: 100 },
    ])!;
    expect(estimate.share).toBeCloseTo((10_000 * 0.4 + 1_000 * 0.1) / 11_000, 12);
    expect(estimate.lower).toBeLessThan(estimate.share);
    expect(estimate.upper).toBeGreaterThan(estimate.share);
  });

  it('is exact when every city counted all its staff', () => {
    const estimate = headcountWeightedEstimate([
      { headcount: 200, respondents: 200, withMigrationHistory: 50 },
      { headcount: 300, respondents: 300, withMigrationHistory: 90 },
    ])!;
    expect(estimate.share).toBeCloseTo(140 / 500, 12);
    expect(estimate.lower).toBe(estimate.share);
    expect(estimate.upper).toBe(estimate.share);
  });

  it('equals the single city interval in spirit for one city: the same share, a comparable width', () => {
    const estimate = headcountWeightedEstimate([{ headcount: 9_000, respondents: 400, withMigrationHistory: 120 }])!;
    const single = wilsonIntervalWithFpc(120, 400, 9_000)!;
    expect(estimate.share).toBeCloseTo(0.3, 12);
    expect(Math.abs(estimate.upper - estimate.lower - (single.upper - single.lower))).toBeLessThan(0.005);
  });

  it('has no estimate without reporting cities', () => {
    expect(headcountWeightedEstimate([])).toBeNull();
  });
});

describe('judgeTarget', () => {
  it('judges with the interval, as the contract says', () => {
    expect(judgeTarget({ lower: 0.34, upper: 0.4 }, 0.33)).toBe('MET');
    expect(judgeTarget({ lower: 0.33, upper: 0.4 }, 0.33)).toBe('MET');
    expect(judgeTarget({ lower: 0.3, upper: 0.36 }, 0.33)).toBe('UNCERTAIN');
    expect(judgeTarget({ lower: 0.3, upper: 0.33 }, 0.33)).toBe('UNCERTAIN');
    expect(judgeTarget({ lower: 0.2, upper: 0.32 }, 0.33)).toBe('NOT_MET');
    expect(judgeTarget(null, 0.33)).toBe('UNKNOWN');
    expect(judgeTarget({ lower: 0.2, upper: 0.32 }, null)).toBe('UNKNOWN');
  });
});
