import * as Plot from '@observablehq/plot';
import { useCallback, useMemo } from 'react';
import { ErrorNotice, Loading } from '../components/notices';
import { PlotFigure } from '../components/plot-figure';
import { ProvenanceBadge, type ProvenanceInfo } from '../components/provenance-badge';
import { FIRST_YEAR } from '../components/year-picker';
import type { CityDetailsData } from '../data';
import { percent, yearRanges } from '../format';
import { useLocale, type Locale } from '../i18n';
import { CITY_DETAILS, MEMBERS } from '../queries';
import { navigate } from '../router';
import { useQuery } from '../use-query';

interface Point {
  year: number;
  value: number | null;
  provenance: ProvenanceInfo;
}

/** Sources cited on the page, numbered in order of first use, so that each figure can link to its source. */
function useSources(points: Point[][]) {
  return useMemo(() => {
    const sources = [...new Set(points.flat().flatMap((point) => (point.provenance.source ? [point.provenance.source] : [])))];
    return { sources, indexOf: (source: string) => sources.indexOf(source) + 1 };
  }, [points]);
}

function TrendChart({
  title,
  points,
  locale,
  target,
  projection,
  sourceIndex,
}: {
  title: string;
  points: Point[];
  locale: Locale;
  target?: number | null;
  projection?: { fromYear: number; fromValue: number; toYear: number } | null;
  sourceIndex: (source: string) => number;
}) {
  const { t } = useLocale();
  const from = points[0]?.year ?? FIRST_YEAR;
  const to = points.at(-1)?.year ?? new Date().getFullYear();
  const label = t('trendChartLabel', { what: title, from, to });
  const render = useCallback(() => {
    const known = points.filter((point) => point.value !== null);
    const estimated = known.filter((point) => point.provenance.kind === 'ESTIMATE');
    const reported = known.filter((point) => point.provenance.kind !== 'ESTIMATE');
    return Plot.plot({
      width: 760,
      height: 280,
      style: { fontSize: '12px' },
      y: { domain: [0, Math.max(0.5, target ?? 0, ...known.map((point) => point.value ?? 0)) * 1.05], tickFormat: (value: number) => percent(value, locale, 0), grid: true, label: null },
      x: { tickFormat: (value: number) => String(value), label: null },
      marks: [
        Plot.lineY(known, { x: 'year', y: 'value', stroke: '#1f5f99', strokeWidth: 2 }),
        Plot.dot(reported, { x: 'year', y: 'value', fill: '#1f5f99', r: 4 }),
        Plot.dot(estimated, { x: 'year', y: 'value', stroke: '#1f5f99', fill: 'white', r: 4 }),
        ...(target != null ? [Plot.ruleY([target], { stroke: '#b3261e', strokeDasharray: '6,4' })] : []),
        ...(projection
          ? [
              Plot.line(
                [
                  { year: projection.fromYear, value: projection.fromValue },
                  { year: projection.toYear, value: target },
                ],
                { x: 'year', y: 'value', stroke: '#6b6b6b', strokeDasharray: '2,4' },
              ),
            ]
          : []),
      ],
    });
  }, [points, locale, target, projection]);

  const kinds = (['OFFICIAL', 'SUBMITTED', 'ESTIMATE'] as const)
    .map((kind) => ({ kind, points: points.filter((point) => point.value !== null && point.provenance.kind === kind) }))
    .filter(({ points: ofKind }) => ofKind.length > 0);
  return (
    <>
    <p className="provenance-summary">
      {t('provenance')}:{' '}
      {kinds.map(({ kind, points: ofKind }, index) => (
        <span key={kind}>
          {index > 0 && ' · '}
          <span className={`badge badge-${kind.toLowerCase()}`}>{t(kind)}</span> {yearRanges(ofKind.map((point) => point.year))}
          {[...new Set(ofKind.flatMap((point) => (point.provenance.source ? [point.provenance.source] : [])))].map((source) => (
            <a key={source} href={`#quelle-${sourceIndex(source)}`} className="source-link">
              [{sourceIndex(source)}]
            </a>
          ))}
        </span>
      ))}
    </p>
    <PlotFigure
      render={render}
      label={label}
      caption={`${label} ${t('chartKey')} ${t('estimateNotice')}`}
      tableLabel={t('showTable')}
      table={
        <table className="data-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('year')}</th>
              <th scope="col" className="numeric">{t('share')}</th>
              <th scope="col">{t('provenance')}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.year}>
                <th scope="row">{point.year}</th>
                <td className="numeric">{point.value === null ? t('notRecorded') : percent(point.value, locale)}</td>
                <td>
                  <ProvenanceBadge provenance={point.provenance} sourceIndex={sourceIndex} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
    </>
  );
}

/** One city over time: staff, trainees, Jobcenter training, and when it reaches its target at its current pace. */
export function CityPage({ id }: { id: string | null }) {
  const { t, locale } = useLocale();
  const members = useQuery<{ forum: { members: Array<{ id: string; name: string | null }> } }>(MEMBERS, {});
  const to = new Date().getFullYear();
  const details = useQuery<CityDetailsData>(CITY_DETAILS, { id: id ?? '', from: FIRST_YEAR, to }, id === null);
  const city = details.data?.municipality;

  const staff = useMemo<Point[]>(() => (city?.staffSeries ?? []).map((point) => ({ year: point.year, value: point.share, provenance: point.provenance })), [city]);
  const trainees = useMemo<Point[]>(() => (city?.traineeSeries ?? []).map((point) => ({ year: point.year, value: point.share, provenance: point.provenance })), [city]);
  const training = useMemo<Point[]>(
    () => (city?.interculturalTrainingSeries ?? []).map((point) => ({ year: point.year, value: point.completionRate, provenance: point.provenance })),
    [city],
  );
  const allPoints = useMemo(() => [staff, trainees, training], [staff, trainees, training]);
  const { sources, indexOf } = useSources(allPoints);
  const projection = city?.staffProjection;
  const target = projection?.targetShare ?? null;
  const projectionLine = useMemo(
    () =>
      projection?.reachesTargetIn && projection.latestYear && projection.latestShare !== null && projection.reachesTargetIn > projection.latestYear
        ? { fromYear: projection.latestYear, fromValue: projection.latestShare, toYear: projection.reachesTargetIn }
        : null,
    [projection],
  );

  return (
    <>
      <div className="page-heading">
        <h1>{city?.name ? t('cityTitle', { city: city.name, from: FIRST_YEAR }) : t('cities')}</h1>
        <div className="field-inline">
          <label htmlFor="city-select">{t('chooseCity')}</label>
          <select id="city-select" value={id ?? ''} onChange={(event) => navigate(`/staedte/${event.target.value}`)}>
            <option value="" disabled>
              {t('chooseCity')}
            </option>
            {(members.data?.forum.members ?? []).map((member) => (
              <option key={member.id} value={member.id}>
                {member.name ?? member.id}
              </option>
            ))}
          </select>
        </div>
      </div>
      {id !== null && <ErrorNotice errors={details.errors} />}
      {id !== null && details.loading && !city && <Loading />}
      {city && (
        <>
          <section aria-labelledby="staff-trend">
            <h2 id="staff-trend">{t('staffTrend')}</h2>
            <p data-testid="projection">
              {projection?.yearlyChangePoints == null
                ? t('projectionUnknown')
                : t(projection.reachesTargetIn ? 'projection' : 'projectionNever', {
                    change: projection.yearlyChangePoints.toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 2 }),
                    city: city.name ?? city.id,
                    target: percent(target, locale),
                    year: projection.reachesTargetIn ?? '',
                  })}
            </p>
            <TrendChart title={t('staffTrend')} points={staff} locale={locale} target={target} projection={projectionLine} sourceIndex={indexOf} />
          </section>
          <section aria-labelledby="trainee-trend">
            <h2 id="trainee-trend">{t('traineeTrend')}</h2>
            <TrendChart title={t('traineeTrend')} points={trainees} locale={locale} sourceIndex={indexOf} />
          </section>
          <section aria-labelledby="training-trend">
            <h2 id="training-trend">{t('trainingTrend')}</h2>
            <TrendChart title={t('trainingTrend')} points={training} locale={locale} target={1} sourceIndex={indexOf} />
          </section>
          <section aria-labelledby="sources-heading">
            <h2 id="sources-heading">{t('sources')}</h2>
            {sources.length === 0 ? (
              <p>{t('noSources')}</p>
            ) : (
              <ol className="sources">
                {sources.map((source, index) => (
                  <li key={source} id={`quelle-${index + 1}`}>
                    {source}
                  </li>
                ))}
              </ol>
            )}
            <p className="notice">{t('estimateNotice')}</p>
          </section>
        </>
      )}
    </>
  );
}
