/**
 * Targets the forum's members measure themselves against, computed from figures rather than typed in
 * (docs/methods.md, "Parity").
 */
import { ratio } from './shares';

export type PopulationDefinition = 'MIGRATION_BACKGROUND' | 'IMMIGRATION_HISTORY';
export type FigureProvenance = 'OFFICIAL' | 'SUBMITTED' | 'ESTIMATE';

/** One year's population share with a migration history, as a city's registry entry lists them. */
export interface PopulationShareFigure {
  year: number;
  share: number;
  definition: PopulationDefinition;
  provenance: FigureProvenance;
}

export interface ParityBasis<Figure extends PopulationShareFigure> {
  figure: Figure;
  /**
   * ESTIMATE when the figure is itself an estimate or lies after the reporting year (no figure that early
   * exists, so a later one stands in); otherwise the figure's own provenance.
   */
  provenance: FigureProvenance;
}

/**
 * The population figure a parity target for `reportingYear` rests on: the latest not after that year; where the
 * city has none that early, its earliest, which makes the target an estimate. Null without any figure.
 */
export function parityBasis<Figure extends PopulationShareFigure>(series: readonly Figure[], reportingYear: number): ParityBasis<Figure> | null {
  if (series.length === 0) return null;
  const byYear = [...series].sort((a, b) => a.year - b.year);
  const notAfter = byYear.filter((figure) => figure.year <= reportingYear).at(-1);
  if (notAfter) return { figure: notAfter, provenance: notAfter.provenance };
  return { figure: byYear[0]!, provenance: 'ESTIMATE' };
}

export interface CityParity {
  population: number;
  share: number;
  definition: PopulationDefinition;
}

export interface ForumParity {
  /** Σ population × share / Σ population over the cities given. */
  share: number;
  /** The definitions the share mixes, in a fixed order; more than one means the benchmark compares unlike groups. */
  definitions: PopulationDefinition[];
}

/** The forum-wide parity benchmark: the cities' parity shares weighted by their population. */
export function populationWeightedParity(cities: readonly CityParity[]): ForumParity | null {
  const population = cities.reduce((sum, city) => sum + city.population, 0);
  const share = ratio(
    cities.reduce((sum, city) => sum + city.population * city.share, 0),
    population,
  );
  if (share === null) return null;
  const definitions = (['MIGRATION_BACKGROUND', 'IMMIGRATION_HISTORY'] as const).filter((definition) =>
    cities.some((city) => city.definition === definition),
  );
  return { share, definitions };
}

export type IncreaseStatus = 'ROSE' | 'DID_NOT_RISE' | 'UNKNOWN';

export interface IncreaseJudgement {
  status: IncreaseStatus;
  /** The city's first reported year as a member: the baseline. */
  sinceYear: number | null;
  sinceShare: number | null;
  share: number | null;
  /** (share - sinceShare) × 100: percentage points gained since the baseline. */
  changePoints: number | null;
}

/**
 * A commitment to "more" without a number ("more trainees with a migration history"): did the share rise since the
 * city's first reported year as a member? UNKNOWN without both years, or when the year asked is the baseline itself.
 */
export function judgeIncrease(
  series: ReadonlyArray<{ year: number; share: number | null }>,
  memberSinceYear: number,
  year: number,
): IncreaseJudgement {
  const reported = series.filter((point) => point.share !== null && point.year >= memberSinceYear).sort((a, b) => a.year - b.year);
  const baseline = reported[0];
  const current = reported.find((point) => point.year === year);
  if (!baseline || !current || baseline.year >= current.year) {
    return {
      status: 'UNKNOWN',
      sinceYear: baseline?.year ?? null,
      sinceShare: baseline?.share ?? null,
      share: current?.share ?? null,
      changePoints: null,
    };
  }
  const changePoints = (current.share! - baseline.share!) * 100;
  return {
    status: current.share! > baseline.share! ? 'ROSE' : 'DID_NOT_RISE',
    sinceYear: baseline.year,
    sinceShare: baseline.share,
    share: current.share,
    changePoints,
  };
}

export interface ProvenanceShare {
  kind: FigureProvenance;
  cities: number;
  respondents: number;
}

/**
 * What a forum-wide figure is made of: per provenance kind, how many of the reporting cities and how many of their
 * respondents. One entry per kind present, in the order OFFICIAL, SUBMITTED, ESTIMATE.
 */
export function provenanceMix(cities: ReadonlyArray<{ provenance: FigureProvenance; respondents: number }>): ProvenanceShare[] {
  return (['OFFICIAL', 'SUBMITTED', 'ESTIMATE'] as const).flatMap((kind) => {
    const ofKind = cities.filter((city) => city.provenance === kind);
    return ofKind.length === 0 ? [] : [{ kind, cities: ofKind.length, respondents: ofKind.reduce((sum, city) => sum + city.respondents, 0) }];
  });
}

/**
 * The provenance of a figure made of several (a year's Jobcenter training over its Jobcenter units): the least sure of
 * its parts, as a sum is only as sure as its least sure part. Null without parts.
 */
export function leastSure(kinds: readonly FigureProvenance[]): FigureProvenance | null {
  if (kinds.length === 0) return null;
  return (['ESTIMATE', 'SUBMITTED', 'OFFICIAL'] as const).find((kind) => kinds.includes(kind))!;
}
