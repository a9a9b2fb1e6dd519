import { useEffect, useState } from 'react';
import type { ProvenanceInfo } from './components/provenance-badge';
import { DEFAULT_YEAR } from './components/year-picker';

/** The answers the pages work with (the contract's shapes, and what the pages add). */

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

export interface OverviewData {
  forum: {
    members: Array<{ id: string; name: string | null; staff: { share: number | null; target: { kind: string; share: number }; provenance: ProvenanceInfo } | null }>;
    staffProgress: {
      pooledShare: number | null;
      targetShare: number | null;
      gapPoints: number | null;
      citiesReporting: Array<{ id: string }>;
      missing: Array<{ municipality: { id: string; name: string | null }; reason: 'UNAVAILABLE' | 'NOT_RECORDED' | 'NOT_REPORTED' }>;
    } | null;
    traineeProgress: { pooledShare: number | null; citiesReporting: Array<{ id: string }> } | null;
    trainingProgress: { completionRate: number | null; targetShare: number | null; gapPoints: number | null } | null;
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
    staffSeries: Array<SeriesPoint & { share: number | null; target: { kind: string; share: number } }> | null;
    traineeSeries: Array<SeriesPoint & { share: number | null }> | null;
    interculturalTrainingSeries: Array<SeriesPoint & { completionRate: number | null }> | null;
    staffProjection: {
      targetShare: number | null;
      latestShare: number | null;
      latestYear: number | null;
      yearlyChangePoints: number | null;
      reachesTargetIn: number | null;
      basedOnYears: number[];
    } | null;
  } | null;
}

/** The year a page shows, kept in the address (`?jahr=2024`) so that a view can be shared. */
export function useYear(): [number, (year: number) => void] {
  const read = () => Number(new URLSearchParams(window.location.search).get('jahr')) || DEFAULT_YEAR;
  const [year, setYear] = useState(read);
  useEffect(() => {
    const update = () => setYear(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return [
    year,
    (next: number) => {
      const url = new URL(window.location.href);
      url.searchParams.set('jahr', String(next));
      window.history.replaceState(null, '', url);
      setYear(next);
    },
  ];
}
