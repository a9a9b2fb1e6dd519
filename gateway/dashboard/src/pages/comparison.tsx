import { useMemo, useState } from 'react';
import { SHORT_STATUS } from '../components/judgement';
import { AgeNotice, ErrorNotice, Loading } from '../components/notices';
import { ProvenanceBadge } from '../components/provenance-badge';
import { SortableTable, sortRows, type Column, type SortState } from '../components/sortable-table';
import { SourceList, useSources } from '../components/sources';
import { YearPicker } from '../components/year-picker';
import { download, toCsv } from '../csv';
import { useYear, type CityComparisonData, type ComparedMember, type ComparisonIntervalsData, type TargetStatus } from '../data';
import { count, percent, percentRange, points } from '../format';
import { useLocale } from '../i18n';
import { CITY_COMPARISON } from '../contract-queries';
import { COMPARISON_INTERVALS } from '../queries';
import { Link } from '../router';
import { useQuery } from '../use-query';

type Row = ComparedMember & { judged: ComparisonIntervalsData['forum']['members'][number]['staff'] | null };

const STATUS_ORDER: Record<TargetStatus, number | null> = { MET: 0, UNCERTAIN: 1, NOT_MET: 2, UNKNOWN: null };

/** Every member side by side for one year: sortable, and downloadable exactly as shown. */
export function Comparison() {
  const { t, locale } = useLocale();
  const [year, setYear] = useYear();
  const [sort, setSort] = useState<SortState>({ key: 'city', direction: 'ascending' });
  const comparison = useQuery<CityComparisonData>(CITY_COMPARISON, { year }, year === null);
  const intervals = useQuery<ComparisonIntervalsData>(COMPARISON_INTERVALS, { year }, year === null);
  const rows = useMemo<Row[]>(() => {
    const judged = new Map((intervals.data?.forum.members ?? []).map((member) => [member.id, member.staff]));
    return (comparison.data?.forum.members ?? []).map((member) => ({ ...member, judged: judged.get(member.id) ?? null }));
  }, [comparison.data, intervals.data]);
  const { sources, indexOf } = useSources(useMemo(() => rows.map((row) => row.staff?.provenance.source), [rows]));

  const columns = useMemo<Array<Column<Row>>>(() => {
    const jobcenter = (member: Row) => member.interculturalTraining?.find((unit) => unit.unit === 'jobcenter')?.completionRate ?? null;
    const missing = (member: Row) => (member.staff === null ? t('notReported') : t('notRecorded'));
    const interval = (member: Row) => member.judged?.shareInterval ?? null;
    const targetEstimated = (member: Row) => member.judged?.target?.provenance.kind === 'ESTIMATE';
    const source = (member: Row) => member.staff?.provenance.source ?? null;
    return [
      {
        key: 'city',
        label: t('city'),
        text: (member) => member.name ?? member.id,
        sortValue: (member) => member.name ?? member.id,
        render: (member) => <Link href={`/staedte/${member.id}`}>{member.name ?? member.id}</Link>,
      },
      { key: 'headcount', label: t('headcount'), numeric: true, text: (member) => count(member.staff?.headcount, locale), sortValue: (member) => member.staff?.headcount ?? null },
      { key: 'respondents', label: t('respondents'), numeric: true, text: (member) => count(member.staff?.respondents, locale), sortValue: (member) => member.staff?.respondents ?? null },
      {
        key: 'share',
        label: t('shareHeader'),
        numeric: true,
        text: (member) => {
          if (member.staff?.share == null) return missing(member);
          const range = interval(member);
          return range ? `${percent(member.staff.share, locale)} (${percentRange(range.lower, range.upper, locale)})` : percent(member.staff.share, locale);
        },
        render: (member) => {
          if (member.staff?.share == null) return missing(member);
          const range = interval(member);
          return (
            <>
              {percent(member.staff.share, locale)}
              {range && <span className="interval-cell"> ({percentRange(range.lower, range.upper, locale)})</span>}
            </>
          );
        },
        sortValue: (member) => member.staff?.share ?? null,
      },
      {
        key: 'target',
        label: t('target'),
        numeric: true,
        text: (member) => `${percent(member.staff?.target.share, locale)}${targetEstimated(member) ? ` (${t('ESTIMATE')})` : ''}`,
        render: (member) => (
          <>
            {percent(member.staff?.target.share, locale)}
            {targetEstimated(member) && <span className="interval-cell"> ({t('ESTIMATE')})</span>}
          </>
        ),
        sortValue: (member) => member.staff?.target.share ?? null,
      },
      {
        key: 'status',
        label: t('status'),
        text: (member) => t(SHORT_STATUS[member.judged?.targetStatus ?? 'UNKNOWN']),
        sortValue: (member) => STATUS_ORDER[member.judged?.targetStatus ?? 'UNKNOWN'],
      },
      { key: 'gap', label: t('gapHeader'), numeric: true, text: (member) => points(member.staff?.gapPoints, locale), sortValue: (member) => member.staff?.gapPoints ?? null },
      { key: 'trainees', label: t('traineeShare'), numeric: true, text: (member) => percent(member.trainees?.share, locale), sortValue: (member) => member.trainees?.share ?? null },
      { key: 'training', label: t('jobcenterTraining'), numeric: true, text: (member) => percent(jobcenter(member), locale), sortValue: jobcenter },
      {
        key: 'provenance',
        label: t('provenance'),
        text: (member) => (member.staff ? `${t(member.staff.provenance.kind)}${source(member) ? ` [${indexOf(source(member)!)}]` : ''}` : '–'),
        sortValue: (member) => member.staff?.provenance.kind ?? null,
        render: (member) => (member.staff ? <ProvenanceBadge provenance={member.staff.provenance} sourceIndex={indexOf} /> : '–'),
      },
    ];
  }, [t, locale, indexOf]);

  const exportCsv = () => {
    const exported = sortRows(rows, columns, sort).map((member) => columns.map((column) => column.text(member)));
    download(`staedtevergleich-${year}.csv`, toCsv(columns.map((column) => column.label), exported, locale));
  };

  return (
    <>
      <div className="page-heading">
        <h1>{year === null ? t('comparison') : t('comparisonTitle', { year })}</h1>
        {year !== null && <YearPicker id="comparison-year" year={year} onChange={setYear} />}
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>
          {t('exportCsv')}
        </button>
      </div>
      <ErrorNotice errors={[...comparison.errors, ...intervals.errors.filter((error) => !comparison.errors.some((other) => other.message === error.message))]} />
      <AgeNotice ages={[comparison.ageSeconds, intervals.ageSeconds]} />
      {rows.length === 0 ? (
        (comparison.loading || year === null) && <Loading />
      ) : (
        <>
          <SortableTable rows={rows} columns={columns} caption={t('comparisonCaption', { year: year ?? '' })} rowKey={(member) => member.id} sort={sort} onSort={setSort} />
          <p className="help">{t('intervalExplanation')}</p>
          <SourceList sources={sources} />
        </>
      )}
    </>
  );
}
