import { useEffect, useState } from 'react';
import type { ProvenanceInfo } from './components/provenance-badge';
import { useLatestYear } from './latest-year';

/** The answers the pages work with (the contract's shapes, and what the pages add). */

export type TargetStatus = 'MET' | 'UNCERTAIN' | 'NOT_MET' | 'UNKNOWN';
export type ProjectionStatus = 'ALREADY_MET' | 'FALLS_BELOW' | 'REACHES' | 'NEVER' | 'UNKNOWN';
export type MissingReason = 'UNAVAILABLE' | 'NOT_RECORDED' | 'NOT_REPORTED';
export type ProvenanceKind = ProvenanceInfo['kind'];
export type PopulationDefinition = 'MIGRATION_BACKGROUND' | 'IMMIGRATION_HISTORY';

export interface Interval {
  lower: number;
  upper: number;
}

export interface TargetInfo {
  kind: string;
  share: number;
  basisYear: number | null;
  provenance: ProvenanceInfo;
}

export interface MissingCity {
  municipality: { id: string; name: string | null };
  reason: MissingReason;
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
    target: { kind: string; share: number };
    gapPoints: number | null;
    provenance: ProvenanceInfo;
  } | null;
  trainees: { share: number | null; intake: number | null } | null;
  interculturalTraining: Array<{ unit: string; completionRate: number | null; staffInScope: number | null; completed: number | null }> | null;
}

export interface CityComparisonData {
  forum: { members: ComparedMember[] };
}

export interface ComparisonIntervalsData {
  forum: {
    members: Array<{
      id: string;
      staff: { shareInterval: Interval | null; targetStatus: TargetStatus; target: { kind: string; basisYear: number | null; provenance: { kind: ProvenanceKind; note: string | null } } | null } | null;
    }>;
  };
}

export interface OverviewData {
  forum: {
    commitments: Array<{ id: string; title: string; titleEn: string; source: string }>;
    members: Array<{
      id: string;
      name: string | null;
      staff: { share: number | null; shareInterval: Interval | null; targetStatus: TargetStatus; target: TargetInfo | null; provenance: ProvenanceInfo } | null;
    }>;
    staffProgress: {
      pooledShare: number | null;
      targetShare: number | null;
      targetKind: string | null;
      weightedEstimate: (Interval & { share: number; cities: number; headcount: number }) | null;
      weightedGapPoints: number | null;
      targetStatus: TargetStatus;
      populationParityShare: number | null;
      populationParityDefinitions: PopulationDefinition[] | null;
      populationParityStatus: TargetStatus;
      populationParityBasis: Array<{
        municipality: { id: string; name: string | null };
        share: number;
        basisYear: number;
        definition: PopulationDefinition;
        population: number;
        provenance: ProvenanceInfo;
      }> | null;
      provenanceMix: Array<{ kind: ProvenanceKind; cities: number; respondents: number }>;
      citiesReporting: Array<{ id: string }>;
      missing: MissingCity[];
    } | null;
    traineeProgress: {
      pooledShare: number | null;
      targetKind: string | null;
      targetShare: number | null;
      gapPoints: number | null;
      targetStatus: TargetStatus;
      increase: Array<{
        municipality: { id: string; name: string | null };
        sinceYear: number | null;
        sinceShare: number | null;
        share: number | null;
        changePoints: number | null;
        status: 'ROSE' | 'DID_NOT_RISE' | 'UNKNOWN';
      }>;
      increaseSummary: { citiesRose: number; citiesDidNotRise: number; citiesUnknown: number };
      provenanceMix: Array<{ kind: ProvenanceKind; cities: number; intake: number }>;
      citiesReporting: Array<{ id: string }>;
      missing: MissingCity[];
    } | null;
    trainingProgress: {
      completionRate: number | null;
      targetShare: number | null;
      gapPoints: number | null;
      targetStatus: TargetStatus;
      provenanceMix: Array<{ kind: ProvenanceKind; cities: number; staffInScope: number }>;
      citiesReporting: Array<{ id: string }>;
      missing: MissingCity[];
    } | null;
  };
}

export interface SeriesPoint {
  year: number;
  provenance: ProvenanceInfo;
}

export interface CityDetailsData {
  municipality: {
    id: string;
    name: string | null;
    staffSeries: Array<SeriesPoint & { share: number | null; shareInterval: Interval | null; targetStatus: TargetStatus; target: TargetInfo | null }> | null;
    traineeSeries: Array<SeriesPoint & { share: number | null }> | null;
    interculturalTrainingSeries: Array<SeriesPoint & { completionRate: number | null }> | null;
    staffProjection: {
      targetShare: number | null;
      latestShare: number | null;
      latestYear: number | null;
      yearlyChangePoints: number | null;
      status: ProjectionStatus;
      reachesTargetIn: number | null;
      basedOnYears: number[];
    } | null;
  } | null;
}

/**
 * The year a page shows, kept in the address (`?jahr=2024`) so that a view can be shared. Without one in the address,
 * the latest year with figures (null until it is known).
 */
export function useYear(): [number | null, (year: number) => void] {
  const read = () => Number(new URLSearchParams(window.location.search).get('jahr')) || null;
  const [chosen, setChosen] = useState(read);
  const latest = useLatestYear(chosen === null);
  useEffect(() => {
    const update = () => setChosen(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return [
    chosen ?? latest,
    (next: number) => {
      const url = new URL(window.location.href);
      url.searchParams.set('jahr', String(next));
      window.history.replaceState(null, '', url);
      setChosen(next);
    },
  ];
}
