import { gapPoints, ratio, roundHalfAwayFromZero } from '../../services/domain/shares';

describe('ratio', () => {
  it('divides', () => expect(ratio(1, 4)).toBe(0.25));
  it('keeps unknown unknown: null in, null out, never 0', () => {
    expect(ratio(null, 10)).toBeNull();
    expect(ratio(3, null)).toBeNull();
    expect(ratio(undefined, 10)).toBeNull();
  });
  it('has no share of nobody', () => expect(ratio(0, 0)).toBeNull());
});

describe('roundHalfAwayFromZero', () => {
  it.each([
    [1.005, 2, 1.01],
    [-1.005, 2, -1.01],
    [11.665, 2, 11.67],
    [0.125, 2, 0.13],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [-0.001, 2, 0],
  ])('rounds %p to %p decimals as %p', (value, decimals, expected) => {
    expect(roundHalfAwayFromZero(value, decimals)).toBe(expected);
  });
});

describe('gapPoints', () => {
  it('is the distance to the target in percentage points, 2 decimals', () => {
    expect(gapPoints(0.33, 0.2132566)).toBe(11.67);
  });
  it('is negative above the target', () => expect(gapPoints(0.25, 0.3)).toBe(-5));
  it('is unknown when the share is', () => expect(gapPoints(0.33, null)).toBeNull());
});
