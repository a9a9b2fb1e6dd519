import { leastSquares, projectTarget } from '../../services/domain/projection';

const line = (from: number, to: number, start: number, perYear: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => ({ year: from + index, share: start + perYear * index }));

describe('projectTarget', () => {
  it('finds the first year a rising trend meets the target', () => {
    // 0.20 in 2020, +1 point a year: 0.25 in 2025.
    const projection = projectTarget(line(2020, 2024, 0.2, 0.01), 0.25);
    expect(projection.status).toBe('REACHES');
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

  it('says ALREADY_MET, with no year, when the trend meets the target in the latest year and is not falling', () => {
    expect(projectTarget(line(2020, 2024, 0.4, 0.01), 0.33)).toMatchObject({ status: 'ALREADY_MET', reachesTargetIn: null });
    expect(projectTarget(line(2020, 2024, 0.4, 0), 0.33)).toMatchObject({ status: 'ALREADY_MET', reachesTargetIn: null });
  });

  it('says FALLS_BELOW for a city falling through its target, even when the window starts above it', () => {
    // 0.40 in 2020, -1 point a year: still 0.36 in 2024, above 0.33, but falling.
    expect(projectTarget(line(2020, 2024, 0.4, -0.01), 0.33)).toMatchObject({ status: 'FALLS_BELOW', reachesTargetIn: null });
    // Above the target in 2020, below it by 2024: below and falling is NEVER, not "reached in 2020".
    expect(projectTarget(line(2020, 2024, 0.36, -0.01), 0.33)).toMatchObject({ status: 'NEVER', reachesTargetIn: null });
  });

  it('judges by the trend in the latest reported year, not by the first year of the window', () => {
    // Rising through the target: 0.30 in 2020 to 0.34 in 2024; the trend meets 0.33 by 2024.
    expect(projectTarget(line(2020, 2024, 0.3, 0.01), 0.33)).toMatchObject({ status: 'ALREADY_MET', reachesTargetIn: null });
    // Rising, below the target in 2024: the year is after the latest reported year.
    expect(projectTarget(line(2020, 2024, 0.2, 0.01), 0.2405)).toMatchObject({ status: 'REACHES', reachesTargetIn: 2025 });
  });

  it('never reaches a target above a flat or falling trend', () => {
    expect(projectTarget(line(2020, 2024, 0.2, 0), 0.33)).toMatchObject({ status: 'NEVER', reachesTargetIn: null });
    expect(projectTarget(line(2020, 2024, 0.2, -0.01), 0.33)).toMatchObject({ status: 'NEVER', reachesTargetIn: null });
  });

  it('needs two reported years', () => {
    expect(projectTarget([{ year: 2024, share: 0.2 }], 0.33)).toEqual({
      status: 'UNKNOWN',
      yearlyChangePoints: null,
      reachesTargetIn: null,
      basedOnYears: [2024],
    });
  });

  it('has a trend but no year without a target', () => {
    const projection = projectTarget(line(2020, 2024, 0.2, 0.01), null);
    expect(projection.status).toBe('UNKNOWN');
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
