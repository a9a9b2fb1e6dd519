import * as Plot from '@observablehq/plot';
import { useCallback, useMemo } from 'react';
import { PlotFigure } from '../components/plot-figure';
import { ProvenanceBadge } from '../components/provenance-badge';
import { ErrorNotice, Loading } from '../components/notices';
import { YearPicker } from '../components/year-picker';
import { useYear, type OverviewData } from '../data';
import { percent, points } from '../format';
import { useLocale } from '../i18n';
import { OVERVIEW } from '../queries';
import { Link } from '../router';
import { useQuery } from '../use-query';

function Card({ title, value, testId, rawValue, children }: { title: string; value: string; testId: string; rawValue: number | null; children: React.ReactNode }) {
  return (
    <article className="card" aria-label={title}>
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

/** The forum as a whole against its commitments, every member against its own target, and who is missing. */
export function Overview() {
  const { t, locale } = useLocale();
  const [year, setYear] = useYear();
  const overview = useQuery<OverviewData>(OVERVIEW, { year });

  const forum = overview.data?.forum;
  const members = forum?.members;
  const rows = useMemo(
    () =>
      (members ?? []).map((member) => ({
        id: member.id,
        name: member.name ?? member.id,
        share: member.staff?.share ?? null,
        target: member.staff?.target.share ?? null,
        provenance: member.staff?.provenance ?? null,
      })),
    [members],
  );

  const chartLabel = t('membersChartLabel', { year });
  const estimates = rows.filter((row) => row.provenance?.kind === 'ESTIMATE').length;
  const renderChart = useCallback(
    () =>
      Plot.plot({
        marginLeft: 170,
        width: 760,
        style: { fontSize: '13px' },
        height: 40 + rows.length * 34,
        x: { domain: [0, 0.5], tickFormat: (value: number) => percent(value, locale, 0), label: t('share'), grid: true },
        y: { label: null, domain: rows.map((row) => row.name) },
        marks: [
          Plot.barX(rows.filter((row) => row.share !== null), { x: 'share', y: 'name', fill: '#1f5f99' }),
          Plot.tickX(rows.filter((row) => row.target !== null), { x: 'target', y: 'name', stroke: '#b3261e', strokeWidth: 3 }),
          Plot.text(rows.filter((row) => row.share === null), { x: 0, y: 'name', text: () => t('notRecorded'), textAnchor: 'start', dx: 4 }),
          Plot.ruleX([0]),
        ],
      }),
    [rows, locale, t],
  );

  const staff = forum?.staffProgress;
  const trainees = forum?.traineeProgress;
  const training = forum?.trainingProgress;
  const total = members?.length ?? 0;

  return (
    <>
      <div className="page-heading">
        <h1>{t('forumTitle', { year })}</h1>
        <YearPicker id="overview-year" year={year} onChange={setYear} />
      </div>
      <ErrorNotice errors={overview.errors} />
      {overview.loading && !forum ? (
        <Loading />
      ) : (
        <section aria-labelledby="commitments-heading">
          <h2 id="commitments-heading">{t('commitments')}</h2>
          <div className="cards">
            <Card title={t('staffCommitment')} value={percent(staff?.pooledShare, locale)} rawValue={staff?.pooledShare ?? null} testId="pooled-staff-share">
              <p>
                {t('target')}: {percent(staff?.targetShare, locale)} · {t('gap')}: <Gap value={staff?.gapPoints} />
              </p>
              <p>{t('reportingCities', { count: staff?.citiesReporting.length ?? 0, total })}</p>
            </Card>
            <Card title={t('traineeCommitment')} value={percent(trainees?.pooledShare, locale)} rawValue={trainees?.pooledShare ?? null} testId="pooled-trainee-share">
              <p>{t('increaseTarget')}</p>
              <p>{t('reportingCities', { count: trainees?.citiesReporting.length ?? 0, total })}</p>
            </Card>
            <Card title={t('trainingCommitment')} value={percent(training?.completionRate, locale)} rawValue={training?.completionRate ?? null} testId="jobcenter-training">
              <p>
                {t('target')}: {percent(training?.targetShare, locale, 0)} · {t('gap')}: <Gap value={training?.gapPoints} />
              </p>
            </Card>
          </div>
        </section>
      )}

      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t('membersTitle')}</h2>
        {overview.loading && rows.length === 0 ? (
          <Loading />
        ) : (
          <PlotFigure
            render={renderChart}
            label={chartLabel}
            caption={estimates > 0 ? `${chartLabel} ${t('estimatesAmong', { count: estimates, total: rows.length })}` : chartLabel}
            tableLabel={t('showTable')}
            table={
              <table className="data-table" data-testid="members-table">
                <caption>{chartLabel}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('city')}</th>
                    <th scope="col" className="numeric">{t('share')}</th>
                    <th scope="col" className="numeric">{t('target')}</th>
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
                      <td className="numeric">{percent(row.target, locale)}</td>
                      <td>{row.provenance ? <ProvenanceBadge provenance={row.provenance} /> : '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
        )}
      </section>

      <section aria-labelledby="missing-heading">
        <h2 id="missing-heading">{t('missingTitle', { year })}</h2>
        {staff?.missing.length === 0 ? (
          <p>{t('nobodyMissing')}</p>
        ) : (
          <ul data-testid="missing-list">
            {(staff?.missing ?? []).map(({ municipality, reason }) => (
              <li key={municipality.id}>
                <Link href={`/staedte/${municipality.id}`}>{municipality.name ?? municipality.id}</Link>: {t(reason)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
