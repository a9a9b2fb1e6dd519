import type { MissingCity, ProjectionStatus, ProvenanceKind, TargetStatus } from '../data';
import { count, percent, percentRange, signedPoints, yearRanges } from '../format';
import { useLocale, type MessageKey } from '../i18n';
import { Link } from '../router';

/**
 * A target judged with the interval, in words a reader without statistics understands. A survey share is judged with
 * its interval; a full count (trainee intake, Jobcenter training) has none, so its words say so.
 */
export function statusKey(status: TargetStatus, basis: 'survey' | 'count'): MessageKey {
  if (basis === 'count' && (status === 'MET' || status === 'NOT_MET')) return status === 'MET' ? 'countMET' : 'countNOT_MET';
  return status;
}

export function TargetStatusText({ status, basis, testId }: { status: TargetStatus; basis: 'survey' | 'count'; testId?: string }) {
  const { t } = useLocale();
  return (
    <span className={`target-status target-status-${status.toLowerCase().replace('_', '-')}`} data-status={status} data-testid={testId}>
      {t(statusKey(status, basis))}
    </span>
  );
}

export const SHORT_STATUS: Record<TargetStatus, MessageKey> = {
  MET: 'shortMET',
  UNCERTAIN: 'shortUNCERTAIN',
  NOT_MET: 'shortNOT_MET',
  UNKNOWN: 'shortUNKNOWN',
};

/** A share with its 95 % interval in words: "21,3 % (95-%-Intervall: 20,9–21,8 %)". */
export function ShareWithInterval({ share, interval }: { share: number | null; interval: { lower: number; upper: number } | null }) {
  const { t, locale } = useLocale();
  return (
    <>
      {percent(share, locale)}
      {interval && (
        <span className="interval">
          {' '}
          ({t('intervalValue', { range: percentRange(interval.lower, interval.upper, locale) })})
        </span>
      )}
    </>
  );
}

type MixEntry = { kind: ProvenanceKind; cities: number } & ({ respondents: number } | { intake: number } | { staffInScope: number });

/**
 * What a forum-wide figure is made of, as a sentence: "Beruht auf 8 Städten: 2 amtlich (5.120 Befragte), …".
 */
export function ProvenanceMixSentence({ mix, testId }: { mix: readonly MixEntry[]; testId?: string }) {
  const { t, locale } = useLocale();
  const total = mix.reduce((sum, entry) => sum + entry.cities, 0);
  if (total === 0) return <p className="provenance-mix">{t('basedOnNothing')}</p>;
  const people = (entry: MixEntry) => {
    if ('respondents' in entry) return t('mixRespondents', { count: count(entry.respondents, locale) });
    if ('intake' in entry) return t('mixIntake', { count: count(entry.intake, locale) });
    return t('mixStaffInScope', { count: count(entry.staffInScope, locale) });
  };
  const parts = mix.map((entry) => `${t(`mix${entry.kind}`, { cities: entry.cities })} (${people(entry)})`).join(', ');
  return (
    <p className="provenance-mix" data-testid={testId}>
      {t('basedOn', { cities: total === 1 ? t('oneCity') : t('manyCities', { count: total }), parts })}
    </p>
  );
}

/** What the city's trend says about its target, worded by the projection's status. */
export function ProjectionText({
  projection,
  city,
}: {
  projection: { status: ProjectionStatus; reachesTargetIn: number | null; yearlyChangePoints: number | null; targetShare: number | null; basedOnYears: number[] } | null;
  city: string;
}) {
  const { t, locale } = useLocale();
  const status = projection?.status ?? 'UNKNOWN';
  const values = {
    year: projection?.reachesTargetIn ?? '',
    years: yearRanges(projection?.basedOnYears ?? []),
    change: signedPoints(projection?.yearlyChangePoints, locale, 2),
    target: percent(projection?.targetShare, locale),
    city,
  };
  return (
    <p data-testid="projection" data-status={status}>
      <strong>
        {t('trendLabel')}: {t(`trend${status}`, values)}.
      </strong>{' '}
      {t(`trendWhy${status}`, values)}
    </p>
  );
}

/** The members missing from a forum-wide figure, each with the reason in words. */
export function MissingList({ missing, measure, testId }: { missing: readonly MissingCity[]; measure: 'staff' | 'trainees' | 'training'; testId: string }) {
  const { t } = useLocale();
  if (missing.length === 0) return <p data-testid={testId}>{t('nobodyMissing')}</p>;
  return (
    <ul data-testid={testId}>
      {missing.map(({ municipality, reason }) => (
        <li key={municipality.id}>
          <Link href={`/staedte/${municipality.id}`}>{municipality.name ?? municipality.id}</Link>:{' '}
          {t(reason === 'NOT_RECORDED' && measure === 'training' ? 'NOT_RECORDED_TRAINING' : reason)}
        </li>
      ))}
    </ul>
  );
}
