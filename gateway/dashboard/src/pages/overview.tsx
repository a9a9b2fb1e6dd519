import * as Plot from '@observablehq/plot';
import { useCallback, useMemo, type ReactNode } from 'react';
import { MissingList, ProvenanceMixSentence, SHORT_STATUS, TargetStatusText } from '../components/judgement';
import { AgeNotice, ErrorNotice, Loading } from '../components/notices';
import { PlotFigure } from '../components/plot-figure';
import { ProvenanceBadge } from '../components/provenance-badge';
import { shareDomain } from '../components/chart-scales';
import { ScrollTable } from '../components/scroll-table';
import { SourceList, useSources } from '../components/sources';
import { YearPicker } from '../components/year-picker';
import { useYear, type OverviewData, type PopulationDefinition } from '../data';
import { count, percent, percentRange, points, signedPoints } from '../format';
import { useLocale } from '../i18n';
import { OVERVIEW } from '../queries';
import { Link } from '../router';
import { useQuery } from '../use-query';

function Card({ title, value, testId, rawValue, wide = false, children }: { title: string; value: string; testId: string; rawValue: number | null; wide?: boolean; children: ReactNode }) {
  return (
    <article className={wide ? 'card card-wide' : 'card'} aria-label={title}>
      <h3>{title}</h3>
      <p className="card-value" data-testid={testId} data-value={rawValue ?? ''}>
        {value}
      </p>
      <div className="card-details">{children}</div>
    </article>
  );
}

/** Percentage points to go, or how far above the target. */
function Gap({ value }: { value: number | null | undefined }) {
  const { t, locale } = useLocale();
  if (value == null) return <>–</>;
  return <>{value < 0 ? `${t('gapValue', { value: points(-value, locale) })} ${t('aboveTarget')}` : t('gapValue', { value: points(value, locale) })}</>;
}

function definitionsText(definitions: readonly PopulationDefinition[], t: ReturnType<typeof useLocale>['t']): string {
  if (definitions.length === 0) return '';
  if (definitions.length === 1) return t('parityOneDefinition', { definition: t(definitions[0]!) });
  return t('parityMixedDefinitions', { definitions: definitions.map((definition) => t(definition)).join(` ${t('and')} `) });
}

/** The forum as a whole against its commitments, every member against its own target, and who is missing. */
export function Overview() {
  const { t, locale } = useLocale();
  const [year, setYear] = useYear();
  const overview = useQuery<OverviewData>(OVERVIEW, { year }, year === null);

  const forum = overview.data?.forum;
  const members = forum?.members;
  const rows = useMemo(
    () =>
      (members ?? []).map((member) => ({
        id: member.id,
        name: member.name ?? member.id,
        share: member.staff?.share ?? null,
        lower: member.staff?.shareInterval?.lower ?? null,
        upper: member.staff?.shareInterval?.upper ?? null,
        target: member.staff?.target?.share ?? null,
        targetStatus: member.staff?.targetStatus ?? 'UNKNOWN',
        provenance: member.staff?.provenance ?? null,
      })),
    [members],
  );

  const staff = forum?.staffProgress;
  const trainees = forum?.traineeProgress;
  const training = forum?.trainingProgress;
  const total = members?.length ?? 0;
  const commitment = (id: string) => forum?.commitments.find((candidate) => candidate.id === id);
  const titleOf = (id: string, fallback: Parameters<typeof t>[0]) => {
    const found = commitment(id);
    return found ? (locale === 'de' ? found.title : found.titleEn) : t(fallback);
  };

  const { sources, indexOf } = useSources(
    useMemo(
      () => [
        ...(forum?.commitments ?? []).map((entry) => entry.source),
        ...rows.map((row) => row.provenance?.source),
        ...(staff?.populationParityBasis ?? []).map((basis) => basis.provenance.source),
      ],
      [forum, rows, staff],
    ),
  );

  const chartLabel = t('membersChartLabel', { year: year ?? '' });
  const estimates = rows.filter((row) => row.provenance?.kind === 'ESTIMATE').length;
  const renderChart = useCallback(
    (width: number) => {
      const narrow = width < 560;
      const shown = rows.filter((row) => row.share !== null);
      const withInterval = rows.filter((row) => row.lower !== null && row.upper !== null);
      const errorBar = { y: 'name', stroke: '#1b1f24', strokeWidth: 2 } as const;
      const halo = { y: 'name', stroke: '#ffffff', strokeWidth: 6 } as const;
      const caps = { insetTop: 9, insetBottom: 9 } as const;
      return Plot.plot({
        width,
        marginLeft: narrow ? 100 : 170,
        marginRight: 20,
        style: { fontSize: '13px' },
        height: 50 + rows.length * (narrow ? 44 : 34),
        x: { domain: shareDomain(rows.flatMap((row) => [row.share, row.upper, row.target]), { fromZero: true }), tickFormat: (value: number) => percent(value, locale, 0), label: null, grid: true, ticks: narrow ? 3 : 8 },
        y: { label: null, domain: rows.map((row) => row.name), axis: null },
        marks: [
          Plot.axisY({ lineWidth: narrow ? 7 : 14, tickSize: 0, tickPadding: 8 }),
          Plot.barX(shown, { x: 'share', y: 'name', fill: '#1f5f99' }),
          Plot.ruleY(withInterval, { ...halo, x1: 'lower', x2: 'upper' }),
          Plot.tickX(withInterval, { ...halo, ...caps, x: 'lower' }),
          Plot.tickX(withInterval, { ...halo, ...caps, x: 'upper' }),
          Plot.ruleY(withInterval, { ...errorBar, x1: 'lower', x2: 'upper', className: 'error-bar' }),
          Plot.tickX(withInterval, { ...errorBar, ...caps, x: 'lower', className: 'error-bar-cap' }),
          Plot.tickX(withInterval, { ...errorBar, ...caps, x: 'upper', className: 'error-bar-cap' }),
          Plot.tickX(
            rows.filter((row) => row.target !== null),
            { x: 'target', y: 'name', stroke: '#b3261e', strokeWidth: 3, className: 'target-mark' },
          ),
          Plot.text(
            rows.filter((row) => row.share === null),
            { x: 0, y: 'name', text: () => t('notRecorded'), textAnchor: 'start', dx: 4 },
          ),
          Plot.ruleX([0]),
        ],
      });
    },
    [rows, locale, t],
  );

  const parityDefinitions = staff?.populationParityDefinitions ?? [];
  const weighted = staff?.weightedEstimate ?? null;
  const increase = trainees?.increase ?? [];
  const parityBasis = staff?.populationParityBasis ?? [];

  return (
    <>
      <div className="page-heading">
        <h1>{year === null ? t('overview') : t('forumTitle', { year })}</h1>
        {year !== null && <YearPicker id="overview-year" year={year} onChange={setYear} />}
      </div>
      <ErrorNotice errors={overview.errors} />
      <AgeNotice ages={[overview.ageSeconds]} />
      {!forum ? (
        (overview.loading || year === null) && <Loading />
      ) : (
        <>
          <section aria-labelledby="commitments-heading">
            <h2 id="commitments-heading">{t('commitments')}</h2>
            <div className="cards">
              <Card title={titleOf('staff-share', 'staffCommitment')} value={percent(weighted?.share, locale)} rawValue={weighted?.share ?? null} testId="weighted-staff-share" wide>
                <div className="card-columns">
                  <div>
                    <p>{t('weightedShare')}</p>
                    <p data-testid="staff-interval" className="interval-line">
                      {weighted ? t('intervalValue', { range: percentRange(weighted.lower, weighted.upper, locale) }) : '–'}
                    </p>
                    <p>
                      {t('headlineTarget', { target: percent(staff?.targetShare, locale, 0) })} · {t('gapToHeadline')}: <Gap value={staff?.weightedGapPoints} />
                    </p>
                    <p className="judgement">
                      <TargetStatusText status={staff?.targetStatus ?? 'UNKNOWN'} basis="survey" testId="staff-target-status" />
                    </p>
                    <p className="help">{t('intervalExplanation')}</p>
                  </div>
                  <div>
                    <p>
                      {t('pooledShareLabel')}{' '}
                      <span data-testid="pooled-staff-share" data-value={staff?.pooledShare ?? ''}>
                        {percent(staff?.pooledShare, locale)}
                      </span>
                      . {t('pooledShareWhy')}
                    </p>
                    <p data-testid="parity">
                      {t('parityShare', { share: percent(staff?.populationParityShare, locale) })} {definitionsText(parityDefinitions, t)}{' '}
                      {t('parityStatus', { status: t(SHORT_STATUS[staff?.populationParityStatus ?? 'UNKNOWN']) })}.
                    </p>
                    <ProvenanceMixSentence mix={staff?.provenanceMix ?? []} testId="staff-provenance-mix" />
                    <p>{t('reportingCities', { count: staff?.citiesReporting.length ?? 0, total })}</p>
                  </div>
                </div>
              </Card>
              <Card title={titleOf('trainee-share', 'traineeCommitment')} value={percent(trainees?.pooledShare, locale)} rawValue={trainees?.pooledShare ?? null} testId="pooled-trainee-share">
                <p>{t('traineeShareLabel')}</p>
                {trainees?.targetShare != null ? (
                  <>
                    <p>
                      {t('target')}: {percent(trainees.targetShare, locale)} · {t('gap')}: <Gap value={trainees.gapPoints} />
                    </p>
                    <p className="judgement">
                      <TargetStatusText status={trainees.targetStatus} basis="count" testId="trainee-target-status" />
                    </p>
                  </>
                ) : (
                  <>
                    <p>{t('increaseTarget')}</p>
                    <p className="judgement" data-testid="increase-summary">
                      {t('increaseSummary', {
                        rose: trainees?.increaseSummary.citiesRose ?? 0,
                        notRose: trainees?.increaseSummary.citiesDidNotRise ?? 0,
                        unknown: trainees?.increaseSummary.citiesUnknown ?? 0,
                        total: trainees?.citiesReporting.length ?? 0,
                      })}
                    </p>
                    <p>
                      <a href="#increase-heading">{t('increaseTitle')}</a>
                    </p>
                  </>
                )}
                <ProvenanceMixSentence mix={trainees?.provenanceMix ?? []} testId="trainee-provenance-mix" />
                <p>{t('reportingCities', { count: trainees?.citiesReporting.length ?? 0, total })}</p>
              </Card>
              <Card title={titleOf('jobcenter-training', 'trainingCommitment')} value={percent(training?.completionRate, locale)} rawValue={training?.completionRate ?? null} testId="jobcenter-training">
                <p>{t('trainingShareLabel')}</p>
                <p>
                  {t('target')}: {percent(training?.targetShare, locale, 0)} · {t('gap')}: <Gap value={training?.gapPoints} />
                </p>
                <p className="judgement">
                  <TargetStatusText status={training?.targetStatus ?? 'UNKNOWN'} basis="count" testId="training-target-status" />
                </p>
                <ProvenanceMixSentence mix={training?.provenanceMix ?? []} testId="training-provenance-mix" />
                <p>{t('reportingCities', { count: training?.citiesReporting.length ?? 0, total })}</p>
              </Card>
            </div>
            {parityBasis.length > 0 && (
              <details>
                <summary>{t('parityBasisTitle', { year: year ?? '' })}</summary>
                <ScrollTable caption={t('parityBasisTitle', { year: year ?? '' })} testId="parity-basis">
                  <thead>
                    <tr>
                      <th scope="col">{t('city')}</th>
                      <th scope="col" className="numeric">{t('share')}</th>
                      <th scope="col" className="numeric">{t('basisYear')}</th>
                      <th scope="col">{t('definition')}</th>
                      <th scope="col" className="numeric">{t('population')}</th>
                      <th scope="col">{t('provenance')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {parityBasis.map((basis) => (
                      <tr key={basis.municipality.id}>
                        <th scope="row">{basis.municipality.name ?? basis.municipality.id}</th>
                        <td className="numeric">{percent(basis.share, locale)}</td>
                        <td className="numeric">{basis.basisYear}</td>
                        <td>{t(basis.definition)}</td>
                        <td className="numeric">{count(basis.population, locale)}</td>
                        <td>
                          <ProvenanceBadge provenance={basis.provenance} sourceIndex={indexOf} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </ScrollTable>
              </details>
            )}
          </section>

          <section aria-labelledby="members-heading">
            <h2 id="members-heading">{t('membersTitle')}</h2>
            <PlotFigure
              render={renderChart}
              label={chartLabel}
              testId="members-chart"
              caption={`${chartLabel} ${t('intervalExplanation')}${estimates > 0 ? ` ${t('estimatesAmong', { count: estimates, total: rows.length })}` : ''}`}
              tableLabel={t('showTable')}
              table={
                <ScrollTable caption={chartLabel} testId="members-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('city')}</th>
                      <th scope="col" className="numeric">{t('share')}</th>
                      <th scope="col" className="numeric">{t('interval')}</th>
                      <th scope="col" className="numeric">{t('target')}</th>
                      <th scope="col">{t('status')}</th>
                      <th scope="col">{t('provenance')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.id}>
                        <th scope="row">
                          <Link href={`/staedte/${row.id}`}>{row.name}</Link>
                        </th>
                        <td className="numeric">{row.share === null ? t('notRecorded') : percent(row.share, locale)}</td>
                        <td className="numeric">{percentRange(row.lower, row.upper, locale)}</td>
                        <td className="numeric">{percent(row.target, locale)}</td>
                        <td data-status={row.targetStatus}>{t(SHORT_STATUS[row.targetStatus])}</td>
                        <td>{row.provenance ? <ProvenanceBadge provenance={row.provenance} sourceIndex={indexOf} /> : '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </ScrollTable>
              }
            />
          </section>

          {increase.length > 0 && (
            <section aria-labelledby="increase-heading">
              <h2 id="increase-heading">{t('increaseTitle')}</h2>
              <ul data-testid="increase-list">
                {increase.map((city) => (
                  <li key={city.municipality.id} data-status={city.status}>
                    <Link href={`/staedte/${city.municipality.id}`}>{city.municipality.name ?? city.municipality.id}</Link>:{' '}
                    {city.status === 'UNKNOWN'
                      ? city.sinceYear !== null && city.sinceYear === year
                        ? t('increaseUnknownFirstYear', { year: city.sinceYear })
                        : t('increaseUnknown')
                      : t(city.status, {
                          since: city.sinceYear ?? '',
                          change: signedPoints(city.changePoints, locale),
                          from: percent(city.sinceShare, locale),
                          to: percent(city.share, locale),
                        })}
                  </li>
                ))}
              </ul>
            </section>
          )}

          <section aria-labelledby="missing-heading">
            <h2 id="missing-heading">{t('missingTitle', { year: year ?? '' })}</h2>
            <h3>{t('staffCommitment')}</h3>
            <MissingList missing={staff?.missing ?? []} measure="staff" testId="missing-staff" />
            <h3>{t('traineeCommitment')}</h3>
            <MissingList missing={trainees?.missing ?? []} measure="trainees" testId="missing-trainees" />
            <h3>{t('trainingCommitment')}</h3>
            <MissingList missing={training?.missing ?? []} measure="training" testId="missing-training" />
          </section>

          <SourceList sources={sources} />
        </>
      )}
    </>
  );
}
