import { leastSquares, projectTarget } from '../../services/common/domain/projection';

const line = (from: number, to: number, start: number, perYear: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => ({ year: from + index, share: start + perYear * index }));

describe('projectTarget', () => {
  it('finds the first year a rising trend meets the target', () => {
    // 0.20 in 2020, +1 point a year: 0.25 in 2025.
    const projection = projectTarget(line(2020, 2024, 0.2, 0.01), 0.25);
    expect(projection.reachesTargetIn).toBe(2025);
    expect(projection.yearlyChangePoints).toBeCloseTo(1, 10);
    expect(projection.basedOnYears).toEqual([2020, 2021, 2022, 2023, 2024]);
  });

  it('rounds up to the year in which the trend has arrived', () => {
    expect(projectTarget(line(2020, 2024, 0.2, 0.01), 0.2505).reachesTargetIn).toBe(2026);
  });

  it('fits only the last five reported years', () => {
    const falling = line(2010, 2015, 0.3, -0.02);
    const rising = line(2016, 2020, 0.1, 0.02);
    expect(projectTarget([...falling, ...rising], 0.3).basedOnYears).toEqual([2016, 2017, 2018, 2019, 2020]);
    expect(projectTarget([...falling, ...rising], 0.3).reachesTargetIn).toBe(2026);
  });

  it('sorts the series by year first', () => {
    expect(projectTarget(line(2020, 2024, 0.2, 0.01).reverse(), 0.25).reachesTargetIn).toBe(2025);
  });

  it('answers the first year of the window when the trend already meets the target', () => {
    expect(projectTarget(line(2020, 2024, 0.4, 0.01), 0.33).reachesTargetIn).toBe(2020);
  });

  it('never reaches a target above a flat or falling trend', () => {
    expect(projectTarget(line(2020, 2024, 0.2, 0), 0.33).reachesTargetIn).toBeNull();
    expect(projectTarget(line(2020, 2024, 0.2, -0.01), 0.33).reachesTargetIn).toBeNull();
  });

  it('needs two reported years', () => {
    expect(projectTarget([{ year: 2024, share: 0.2 }], 0.33)).toEqual({ yearlyChangePoints: null, reachesTargetIn: null, basedOnYears: [2024] });
  });

  it('has a trend but no year without a target', () => {
    const projection = projectTarget(line(2020, 2024, 0.2, 0.01), null);
    expect(projection.reachesTargetIn).toBeNull();
    expect(projection.yearlyChangePoints).toBeCloseTo(1, 10);
  });
});

describe('leastSquares', () => {
  it('fits a noisy series', () => {
    const fit = leastSquares([
      { year: 1, share: 1 },
      { year: 2, share: 2 },
      { year: 3, share: 2 },
    ])!;
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(2 / 3, 12);
  });
});
