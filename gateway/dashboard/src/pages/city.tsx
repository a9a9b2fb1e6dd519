import * as Plot from '@observablehq/plot';
import { useCallback, useMemo } from 'react';
import { shareDomain } from '../components/chart-scales';
import { ProjectionText, SHORT_STATUS, TargetStatusText } from '../components/judgement';
import { AgeNotice, ErrorNotice, Loading } from '../components/notices';
import { PlotFigure } from '../components/plot-figure';
import { ProvenanceBadge, type ProvenanceInfo } from '../components/provenance-badge';
import { ScrollTable } from '../components/scroll-table';
import { SourceList, useSources } from '../components/sources';
import { FIRST_YEAR } from '../components/year-picker';
import type { CityDetailsData, TargetInfo, TargetStatus } from '../data';
import { percent, percentRange, yearRanges } from '../format';
import { useLocale, type Locale } from '../i18n';
import { CITY_DETAILS, MEMBERS } from '../queries';
import { navigate } from '../router';
import { useQuery } from '../use-query';

interface Point {
  year: number;
  value: number | null;
  provenance: ProvenanceInfo;
  /** The 95 % interval of a survey share; absent for full counts. */
  lower?: number | null;
  upper?: number | null;
  target?: number | null;
  targetStatus?: TargetStatus;
}

const BLUE = '#1f5f99';
const RED = '#b3261e';
const BLACK = '#1b1f24';

function TrendChart({
  title,
  points,
  locale,
  projection,
  sourceIndex,
  survey = false,
  testId,
}: {
  title: string;
  points: Point[];
  locale: Locale;
  projection?: { fromYear: number; fromValue: number; toYear: number; target: number } | null;
  sourceIndex: (source: string) => number;
  /** A survey share: drawn with its interval, and judged with it in the table. */
  survey?: boolean;
  testId: string;
}) {
  const { t } = useLocale();
  const from = points[0]?.year ?? FIRST_YEAR;
  const to = points.at(-1)?.year ?? from;
  const label = t('trendChartLabel', { what: title, from, to });
  const hasTarget = points.some((point) => point.target != null);
  const render = useCallback(
    (width: number) => {
      const known = points.filter((point) => point.value !== null);
      const estimated = known.filter((point) => point.provenance.kind === 'ESTIMATE');
      const reported = known.filter((point) => point.provenance.kind !== 'ESTIMATE');
      const withInterval = known.filter((point) => point.lower != null && point.upper != null);
      const targets = [
        ...points.filter((point) => point.target != null).map((point) => ({ year: point.year, target: point.target! })),
        ...(projection ? [{ year: projection.toYear, target: projection.target }] : []),
      ];
      const lastYear = Math.max(to, projection?.toYear ?? to);
      const marginLeft = 56;
      const marginRight = 16;
      // Caps 8 pixels wide, whatever the width and the years shown.
      const cap = (4 * Math.max(lastYear - from, 1)) / Math.max(width - marginLeft - marginRight, 1);
      const errorBar = { stroke: BLACK, strokeWidth: 1.5 } as const;
      return Plot.plot({
        width,
        height: width < 560 ? 240 : 280,
        marginLeft,
        marginRight,
        style: { fontSize: '12px' },
        y: {
          domain: shareDomain([...known.flatMap((point) => [point.value, point.lower, point.upper]), ...targets.map((entry) => entry.target)], { fromZero: false }),
          tickFormat: (value: number) => percent(value, locale, 0),
          grid: true,
          label: null,
          ticks: 5,
        },
        x: { domain: [from, lastYear], tickFormat: (value: number) => String(value), label: null, ticks: Math.max(2, Math.min(8, Math.floor(width / 90))) },
        marks: [
          ...(targets.length > 0 ? [Plot.line(targets, { x: 'year', y: 'target', curve: 'step-after', stroke: RED, strokeWidth: 1.5, strokeDasharray: '6,4', className: 'target-mark' })] : []),
          ...(projection
            ? [
                Plot.line(
                  [
                    { year: projection.fromYear, value: projection.fromValue },
                    { year: projection.toYear, value: projection.target },
                  ],
                  { x: 'year', y: 'value', stroke: '#6b6b6b', strokeDasharray: '2,4' },
                ),
              ]
            : []),
          Plot.lineY(known, { x: 'year', y: 'value', stroke: BLUE, strokeWidth: 2 }),
          Plot.ruleX(withInterval, { ...errorBar, x: 'year', y1: 'lower', y2: 'upper', className: 'error-bar' }),
          Plot.link(withInterval, { ...errorBar, x1: (point: Point) => point.year - cap, x2: (point: Point) => point.year + cap, y1: 'lower', y2: 'lower', className: 'error-bar-cap' }),
          Plot.link(withInterval, { ...errorBar, x1: (point: Point) => point.year - cap, x2: (point: Point) => point.year + cap, y1: 'upper', y2: 'upper', className: 'error-bar-cap' }),
          Plot.dot(reported, { x: 'year', y: 'value', fill: BLUE, r: 3.5 }),
          Plot.dot(estimated, { x: 'year', y: 'value', stroke: BLUE, fill: 'white', strokeWidth: 1.5, r: 3.5 }),
        ],
      });
    },
    [points, locale, projection, from, to],
  );

  const kinds = (['OFFICIAL', 'SUBMITTED', 'ESTIMATE'] as const)
    .map((kind) => ({ kind, points: points.filter((point) => point.value !== null && point.provenance.kind === kind) }))
    .filter(({ points: ofKind }) => ofKind.length > 0);
  const key = [hasTarget ? t('targetKey') : null, projection ? t('projectionKey') : null, survey ? t('errorBarKey') : t('fullCountKey'), t('estimateNotice')]
    .filter(Boolean)
    .join(' ');
  if (!points.some((point) => point.value !== null)) {
    return (
      <p className="notice" data-testid={testId}>
        {t('noValues')}
      </p>
    );
  }
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
        testId={testId}
        caption={`${label} ${key}`}
        tableLabel={t('showTable')}
        table={
          <ScrollTable caption={title}>
            <thead>
              <tr>
                <th scope="col">{t('year')}</th>
                <th scope="col" className="numeric">{t('share')}</th>
                {survey && <th scope="col" className="numeric">{t('interval')}</th>}
                {hasTarget && <th scope="col" className="numeric">{t('target')}</th>}
                {survey && <th scope="col">{t('status')}</th>}
                <th scope="col">{t('provenance')}</th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.year}>
                  <th scope="row">{point.year}</th>
                  <td className="numeric">{point.value === null ? t('notRecorded') : percent(point.value, locale)}</td>
                  {survey && <td className="numeric">{percentRange(point.lower, point.upper, locale)}</td>}
                  {hasTarget && <td className="numeric">{percent(point.target, locale)}</td>}
                  {survey && <td data-status={point.targetStatus}>{t(SHORT_STATUS[point.targetStatus ?? 'UNKNOWN'])}</td>}
                  <td>
                    <ProvenanceBadge provenance={point.provenance} sourceIndex={sourceIndex} />
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        }
      />
    </>
  );
}

/** The latest reported year's share with its interval, its target, and the target judged with the interval. */
function LatestStatus({ point, target }: { point: Point | undefined; target: TargetInfo | null }) {
  const { t, locale } = useLocale();
  if (!point) return null;
  const notes = [
    target?.kind === 'POPULATION_PARITY' && target.basisYear !== null ? t('parityBasisNote', { year: target.basisYear }) : null,
    target?.provenance.kind === 'ESTIMATE' ? t('targetEstimated') : null,
  ].filter((note): note is string => note !== null);
  return (
    <p className="judgement">
      {point.value !== null && (
        <>
          {t('latestStatus', {
            year: point.year,
            share: percent(point.value, locale),
            interval: t('intervalValue', { range: percentRange(point.lower, point.upper, locale) }),
            target: percent(target?.share, locale),
            basis: notes.length > 0 ? ` (${notes.join(', ')})` : '',
          })}{' '}
        </>
      )}
      <TargetStatusText status={point.targetStatus ?? 'UNKNOWN'} basis="survey" testId="target-status" />
    </p>
  );
}

/** One city over time: staff, trainees, Jobcenter training, and what the trend says about its target. */
export function CityPage({ id }: { id: string | null }) {
  const { t, locale } = useLocale();
  const members = useQuery<{ forum: { members: Array<{ id: string; name: string | null }> } }>(MEMBERS, {});
  const to = new Date().getFullYear();
  const details = useQuery<CityDetailsData>(CITY_DETAILS, { id: id ?? '', from: FIRST_YEAR, to }, id === null);
  const city = details.data?.municipality;

  const staff = useMemo<Point[]>(
    () =>
      (city?.staffSeries ?? []).map((point) => ({
        year: point.year,
        value: point.share,
        provenance: point.provenance,
        lower: point.shareInterval?.lower ?? null,
        upper: point.shareInterval?.upper ?? null,
        target: point.target?.share ?? null,
        targetStatus: point.targetStatus,
      })),
    [city],
  );
  const trainees = useMemo<Point[]>(() => (city?.traineeSeries ?? []).map((point) => ({ year: point.year, value: point.share, provenance: point.provenance })), [city]);
  const training = useMemo<Point[]>(
    () => (city?.interculturalTrainingSeries ?? []).map((point) => ({ year: point.year, value: point.completionRate, provenance: point.provenance, target: 1 })),
    [city],
  );
  const cited = useMemo(
    () => [
      ...[staff, trainees, training].flat().map((point) => point.provenance.source),
      ...(city?.staffSeries ?? []).map((point) => point.target?.provenance.source),
    ],
    [staff, trainees, training, city],
  );
  const { sources, indexOf } = useSources(cited);
  const projection = city?.staffProjection ?? null;
  const projectionLine = useMemo(
    () =>
      projection?.status === 'REACHES' && projection.reachesTargetIn !== null && projection.latestYear !== null && projection.latestShare !== null && projection.targetShare !== null
        ? { fromYear: projection.latestYear, fromValue: projection.latestShare, toYear: projection.reachesTargetIn, target: projection.targetShare }
        : null,
    [projection],
  );
  const latest = [...staff].reverse().find((point) => point.value !== null) ?? staff.at(-1);
  const latestTarget = (city?.staffSeries ?? []).find((point) => point.year === latest?.year)?.target ?? null;

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
      {id !== null && <AgeNotice ages={[details.ageSeconds]} />}
      {id !== null && details.loading && !city && <Loading />}
      {city && (
        <>
          <section aria-labelledby="staff-trend">
            <h2 id="staff-trend">{t('staffTrend')}</h2>
            <LatestStatus point={latest} target={latestTarget} />
            <ProjectionText projection={projection} city={city.name ?? city.id} />
            <p className="help">{t('intervalExplanation')}</p>
            <TrendChart title={t('staffTrend')} points={staff} locale={locale} projection={projectionLine} sourceIndex={indexOf} survey testId="staff-chart" />
          </section>
          <section aria-labelledby="trainee-trend">
            <h2 id="trainee-trend">{t('traineeTrend')}</h2>
            <TrendChart title={t('traineeTrend')} points={trainees} locale={locale} sourceIndex={indexOf} testId="trainee-chart" />
          </section>
          <section aria-labelledby="training-trend">
            <h2 id="training-trend">{t('trainingTrend')}</h2>
            <TrendChart title={t('trainingTrend')} points={training} locale={locale} sourceIndex={indexOf} testId="training-chart" />
          </section>
          <SourceList sources={sources} />
          <p className="notice">{t('estimateNotice')}</p>
        </>
      )}
    </>
  );
}
