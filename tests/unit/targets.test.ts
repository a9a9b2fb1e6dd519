import { judgeIncrease, parityBasis, populationWeightedParity, provenanceMix, type PopulationShareFigure } from '../../services/domain/targets';

const dortmund: PopulationShareFigure[] = [
  { year: 2023, share: 0.41, definition: 'MIGRATION_BACKGROUND', provenance: 'OFFICIAL' },
  { year: 2014, share: 0.301, definition: 'MIGRATION_BACKGROUND', provenance: 'OFFICIAL' },
];

describe('parityBasis', () => {
  it('takes the latest population figure not after the reporting year', () => {
    expect(parityBasis(dortmund, 2024)).toEqual({ figure: dortmund[0], provenance: 'OFFICIAL' });
    expect(parityBasis(dortmund, 2023)!.figure.year).toBe(2023);
    expect(parityBasis(dortmund, 2016)!.figure.year).toBe(2014);
  });

  it('takes the earliest where none is that early, and then the target is an estimate', () => {
    expect(parityBasis(dortmund, 2011)).toEqual({ figure: dortmund[1], provenance: 'ESTIMATE' });
  });

  it('keeps an estimated figure an estimate', () => {
    const estimated: PopulationShareFigure[] = [{ year: 2020, share: 0.3, definition: 'MIGRATION_BACKGROUND', provenance: 'ESTIMATE' }];
    expect(parityBasis(estimated, 2024)!.provenance).toBe('ESTIMATE');
  });

  it('has no basis without figures', () => {
    expect(parityBasis([], 2024)).toBeNull();
  });
});

describe('populationWeightedParity', () => {
  it('weighs each city by its population and names the definitions it mixes', () => {
    const parity = populationWeightedParity([
      { population: 600_000, share: 0.41, definition: 'MIGRATION_BACKGROUND' },
      { population: 170_000, share: 0.253, definition: 'IMMIGRATION_HISTORY' },
    ])!;
    expect(parity.share).toBeCloseTo((600_000 * 0.41 + 170_000 * 0.253) / 770_000, 12);
    expect(parity.definitions).toEqual(['MIGRATION_BACKGROUND', 'IMMIGRATION_HISTORY']);
  });

  it('has none without cities', () => {
    expect(populationWeightedParity([])).toBeNull();
  });
});

describe('judgeIncrease', () => {
  const series = [
    { year: 2009, share: 0.05 },
    { year: 2011, share: 0.1 },
    { year: 2015, share: 0.12 },
    { year: 2020, share: 0.09 },
  ];

  it('compares with the first reported year as a member', () => {
    expect(judgeIncrease(series, 2010, 2015)).toEqual({ status: 'ROSE', sinceYear: 2011, sinceShare: 0.1, share: 0.12, changePoints: expect.closeTo(2, 10) });
    expect(judgeIncrease(series, 2010, 2020)).toMatchObject({ status: 'DID_NOT_RISE', sinceYear: 2011, changePoints: expect.closeTo(-1, 10) });
  });

  it('cannot judge the baseline year itself or a year without a share', () => {
    expect(judgeIncrease(series, 2010, 2011).status).toBe('UNKNOWN');
    expect(judgeIncrease(series, 2010, 2024).status).toBe('UNKNOWN');
    expect(judgeIncrease([{ year: 2015, share: null }], 2010, 2015).status).toBe('UNKNOWN');
  });
});

describe('provenanceMix', () => {
  it('counts cities and respondents per provenance, in a fixed order', () => {
    expect(
      provenanceMix([
        { provenance: 'ESTIMATE', respondents: 100 },
        { provenance: 'OFFICIAL', respondents: 400 },
        { provenance: 'ESTIMATE', respondents: 50 },
      ]),
    ).toEqual([
      { kind: 'OFFICIAL', cities: 1, respondents: 400 },
      { kind: 'ESTIMATE', cities: 2, respondents: 150 },
    ]);
  });
});
