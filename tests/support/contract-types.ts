/** The shapes of the query contract's answers (tests/contract/*.graphql), for typed assertions. */

export interface Provenance {
  kind: 'OFFICIAL' | 'SUBMITTED' | 'ESTIMATE';
  source: string | null;
}

export interface ComparedMember {
  id: string;
  name: string | null;
  staff: {
    year: number;
    headcount: number | null;
    respondents: number | null;
    withMigrationHistory: number | null;
    share: number | null;
    responseRate: number | null;
    target: { kind: 'FIXED' | 'POPULATION_PARITY'; share: number };
    gapPoints: number | null;
    provenance: Provenance;
  } | null;
  trainees: { year: number; intake: number | null; withMigrationHistory: number | null; share: number | null } | null;
  interculturalTraining: Array<{
    year: number;
    unit: string;
    staffInScope: number | null;
    completed: number | null;
    completionRate: number | null;
  }> | null;
}

export interface CityComparisonData {
  forum: { members: ComparedMember[] };
}

interface CityRef {
  id: string;
}

export interface ForumProgressData {
  forum: {
    name: string;
    members: Array<{ id: string; name: string | null; memberSince: string | null }>;
    commitments: Array<{ id: string; measure: string; targetKind: string; targetShare: number | null; title: string }>;
    staffProgress: {
      year: number;
      pooledShare: number | null;
      targetShare: number | null;
      gapPoints: number | null;
      citiesReporting: CityRef[];
      citiesMissing: CityRef[];
      missing?: Array<{ municipality: CityRef; reason: string }>;
    };
    traineeProgress: { year: number; pooledShare: number | null; citiesReporting: CityRef[] };
    trainingProgress: { year: number; staffInScope: number | null; completed: number | null; completionRate: number | null };
  };
}

export interface CityTrendData {
  municipality: {
    id: string;
    name: string | null;
    staffSeries: Array<{ year: number; headcount: number | null; share: number | null }> | null;
    staffProjection: { targetShare: number | null; yearlyChangePoints: number | null; reachesTargetIn: number | null } | null;
  } | null;
}

export interface Interval {
  lower: number;
  upper: number;
  level: number;
  method: string;
}

export type TargetStatus = 'MET' | 'UNCERTAIN' | 'NOT_MET' | 'UNKNOWN';
export type ProjectionStatus = 'ALREADY_MET' | 'FALLS_BELOW' | 'REACHES' | 'NEVER' | 'UNKNOWN';

export interface UncertainMember {
  id: string;
  staff: {
    headcount: number | null;
    respondents: number | null;
    withMigrationHistory: number | null;
    share: number | null;
    shareInterval: Interval | null;
    target: { kind: 'FIXED' | 'POPULATION_PARITY'; share: number; basisYear: number | null; provenance: { kind: Provenance['kind'] } } | null;
    targetStatus: TargetStatus;
  } | null;
  staffProjection: { targetShare: number | null; reachesTargetIn: number | null; status: ProjectionStatus } | null;
}

export interface StaffUncertaintyData {
  forum: {
    staffProgress: {
      year: number;
      pooledShare: number | null;
      weightedEstimate: (Interval & { share: number }) | null;
      targetShare: number | null;
      targetStatus: TargetStatus;
      populationParityShare: number | null;
      citiesReporting: CityRef[];
      provenanceMix: Array<{ kind: Provenance['kind']; cities: number; respondents: number }>;
    };
    members: UncertainMember[];
  };
}
