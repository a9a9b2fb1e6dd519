import { useEffect, useState } from 'react';
import { graphql } from './api';
import { LATEST_YEAR } from './queries';

interface LatestYearData {
  forum: { members: Array<{ annualFigures: Array<{ year: number }> | null }> };
}

/** Asked once per visit: every page that shows a year starts from it. */
let latest: Promise<number> | null = null;

function latestYear(): Promise<number> {
  latest ??= graphql<LatestYearData>(LATEST_YEAR, {}, 'de')
    .then((result) => {
      const years = (result.data?.forum.members ?? []).flatMap((member) => (member.annualFigures ?? []).map((figures) => figures.year));
      if (years.length === 0) throw new Error('no member answered with a reported year');
      return Math.max(...years);
    })
    .catch(() => {
      // Ask again on the next page; until then show the last calendar year, whose errors the page then explains.
      latest = null;
      return new Date().getFullYear() - 1;
    });
  return latest;
}

/** The latest year any member reported a figure in; null until known (or when not needed). */
export function useLatestYear(needed: boolean): number | null {
  const [year, setYear] = useState<number | null>(null);
  useEffect(() => {
    if (!needed) return;
    let current = true;
    void latestYear().then((value) => {
      if (current) setYear(value);
    });
    return () => {
      current = false;
    };
  }, [needed]);
  return year;
}
