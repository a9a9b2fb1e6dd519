import { headcountWeightedEstimate, wilsonIntervalWithFpc } from '../../services/domain/intervals';

/**
 * Does the 95 % interval cover the true share about 95 % of the time? Surveys are drawn from known staff
 * populations: `respondents` of `headcount` staff answer (a simple random sample without replacement, i.e. the
 * number with a migration history is hypergeometric). Seeded, so a run is repeatable; SIMULATION_SEED varies it.
 */
const DRAWS_PER_SETTING = 10_000;
const SEED = Number(process.env.SIMULATION_SEED ?? 20261201);

/** mulberry32: a small seeded generator, enough for a simulation (not for anything secret). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A sampler of the hypergeometric distribution: how many of `sampleSize` drawn without replacement from
 * `population` (of which `marked`) are marked. Its distribution function is computed once (from the ratio of
 * successive probabilities, in logarithms), and each draw inverts it by binary search.
 */
function hypergeometricSampler(random: () => number, population: number, marked: number, sampleSize: number): () => number {
  const lowest = Math.max(0, sampleSize - (population - marked));
  const highest = Math.min(sampleSize, marked);
  const logWeights = [0];
  for (let x = lowest; x < highest; x += 1) {
    const ratio = ((marked - x) * (sampleSize - x)) / ((x + 1) * (population - marked - sampleSize + x + 1));
    logWeights.push(logWeights.at(-1)! + Math.log(ratio));
  }
  const peak = Math.max(...logWeights);
  const weights = logWeights.map((logWeight) => Math.exp(logWeight - peak));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, weight) => (cumulative.push((sum + weight) / total), sum + weight), 0);
  return () => {
    const u = random();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < u) low = middle + 1;
      else high = middle;
    }
    return lowest + low;
  };
}

interface Setting {
  headcount: number;
  responseRate: number;
  share: number;
}

const SETTINGS: Setting[] = [40, 400, 3_000, 9_000].flatMap((headcount) =>
  [0.1, 0.22, 0.5, 0.9].flatMap((responseRate) => [0.08, 0.2, 0.33].map((share) => ({ headcount, responseRate, share }))),
);

describe('coverage of the 95 % interval (simulation)', () => {
  it(`covers the true share about 95 % of the time over ${SETTINGS.length} settings of ${DRAWS_PER_SETTING} surveys each (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    const coverage = SETTINGS.map((setting) => {
      const respondents = Math.max(1, Math.round(setting.headcount * setting.responseRate));
      const marked = Math.round(setting.headcount * setting.share);
      const truth = marked / setting.headcount;
      const drawSurvey = hypergeometricSampler(random, setting.headcount, marked, respondents);
      let covered = 0;
      for (let draw = 0; draw < DRAWS_PER_SETTING; draw += 1) {
        const interval = wilsonIntervalWithFpc(drawSurvey(), respondents, setting.headcount)!;
        if (interval.lower <= truth && truth <= interval.upper) covered += 1;
      }
      return { ...setting, coverage: covered / DRAWS_PER_SETTING };
    });
    const mean = coverage.reduce((sum, entry) => sum + entry.coverage, 0) / coverage.length;
    const worst = coverage.reduce((low, entry) => (entry.coverage < low.coverage ? entry : low));
    console.log(`interval coverage: mean ${(mean * 100).toFixed(2)} %, lowest ${(worst.coverage * 100).toFixed(2)} % at`, worst);
    expect(Math.abs(mean - 0.95)).toBeLessThanOrEqual(0.015);
    for (const entry of coverage) expect(entry.coverage).toBeGreaterThanOrEqual(0.9);
  });

  it('covers the forum-wide headcount-weighted share about 95 % of the time', () => {
    const random = seededRandom(SEED + 1);
    // Cities of different sizes, shares and response rates, as in the forum.
    const cities = [
      { headcount: 9_000, responseRate: 0.05, share: 0.3 },
      { headcount: 6_000, responseRate: 0.25, share: 0.22 },
      { headcount: 2_500, responseRate: 0.6, share: 0.15 },
      { headcount: 800, responseRate: 0.9, share: 0.35 },
    ];
    const surveys = cities.map((city) => {
      const respondents = Math.round(city.headcount * city.responseRate);
      return { headcount: city.headcount, respondents, draw: hypergeometricSampler(random, city.headcount, Math.round(city.headcount * city.share), respondents) };
    });
    const truth =
      cities.reduce((sum, city) => sum + Math.round(city.headcount * city.share), 0) / cities.reduce((sum, city) => sum + city.headcount, 0);
    let covered = 0;
    for (let draw = 0; draw < DRAWS_PER_SETTING; draw += 1) {
      const estimate = headcountWeightedEstimate(
        surveys.map(({ headcount, respondents, draw: drawSurvey }) => ({ headcount, respondents, withMigrationHistory: drawSurvey() })),
      )!;
      if (estimate.lower <= truth && truth <= estimate.upper) covered += 1;
    }
    console.log(`weighted estimate coverage: ${((covered / DRAWS_PER_SETTING) * 100).toFixed(2)} %`);
    expect(Math.abs(covered / DRAWS_PER_SETTING - 0.95)).toBeLessThanOrEqual(0.015);
  });
});
