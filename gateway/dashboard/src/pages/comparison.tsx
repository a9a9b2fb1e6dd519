import { useMemo, useState } from 'react';
import { ErrorNotice, Loading } from '../components/notices';
import { ProvenanceBadge } from '../components/provenance-badge';
import { SortableTable, sortRows, type Column, type SortState } from '../components/sortable-table';
import { YearPicker } from '../components/year-picker';
import { download, toCsv } from '../csv';
import { useYear, type CityComparisonData, type ComparedMember } from '../data';
import { count, percent, points } from '../format';
import { useLocale } from '../i18n';
import { CITY_COMPARISON } from '../contract-queries';
import { Link } from '../router';
import { useQuery } from '../use-query';

/** Every member side by side for one year: sortable, and downloadable exactly as shown. */
export function Comparison() {
  const { t, locale } = useLocale();
  const [year, setYear] = useYear();
  const [sort, setSort] = useState<SortState>({ key: 'city', direction: 'ascending' });
  const comparison = useQuery<CityComparisonData>(CITY_COMPARISON, { year });
  const members = comparison.data?.forum.members ?? [];

  const columns = useMemo<Array<Column<ComparedMember>>>(() => {
    const jobcenter = (member: ComparedMember) => member.interculturalTraining?.find((unit) => unit.unit === 'jobcenter')?.completionRate ?? null;
    const missing = (member: ComparedMember) => (member.staff === null ? t('notReported') : t('notRecorded'));
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
        label: `${t('share')} ${t('withMigrationHistory')}`,
        numeric: true,
        text: (member) => (member.staff?.share == null ? missing(member) : percent(member.staff.share, locale)),
        sortValue: (member) => member.staff?.share ?? null,
      },
      { key: 'target', label: t('target'), numeric: true, text: (member) => percent(member.staff?.target.share, locale), sortValue: (member) => member.staff?.target.share ?? null },
      { key: 'gap', label: `${t('gap')} (${t('points')})`, numeric: true, text: (member) => points(member.staff?.gapPoints, locale), sortValue: (member) => member.staff?.gapPoints ?? null },
      { key: 'trainees', label: t('traineeShare'), numeric: true, text: (member) => percent(member.trainees?.share, locale), sortValue: (member) => member.trainees?.share ?? null },
      { key: 'training', label: t('jobcenterTraining'), numeric: true, text: (member) => percent(jobcenter(member), locale), sortValue: jobcenter },
      {
        key: 'provenance',
        label: t('provenance'),
        text: (member) => (member.staff ? t(member.staff.provenance.kind) : '–'),
        sortValue: (member) => member.staff?.provenance.kind ?? null,
        render: (member) => (member.staff ? <ProvenanceBadge provenance={member.staff.provenance} /> : '–'),
      },
    ];
  }, [t, locale]);

  const exportCsv = () => {
    const rows = sortRows(members, columns, sort).map((member) => columns.map((column) => column.text(member)));
    download(`staedtevergleich-${year}.csv`, toCsv(columns.map((column) => column.label), rows, locale));
  };

  return (
    <>
      <div className="page-heading">
        <h1>{t('comparisonTitle', { year })}</h1>
        <YearPicker id="comparison-year" year={year} onChange={setYear} />
        <button type="button" onClick={exportCsv} disabled={members.length === 0}>
          {t('exportCsv')}
        </button>
      </div>
      <ErrorNotice errors={comparison.errors} />
      {comparison.loading && members.length === 0 ? (
        <Loading />
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('comparisonCaption', { year })}>
          <SortableTable rows={members} columns={columns} caption={t('comparisonCaption', { year })} rowKey={(member) => member.id} sort={sort} onSort={setSort} />
        </div>
      )}
    </>
  );
}
