import { useLocale } from '../i18n';

export const FIRST_YEAR = 2010;

/** Every year from the forum's first to the current one; which one a page starts with comes from the data (useYear). */
export function YearPicker({ year, onChange, id }: { year: number; onChange: (year: number) => void; id: string }) {
  const { t } = useLocale();
  const years = Array.from({ length: new Date().getFullYear() - FIRST_YEAR + 1 }, (_, index) => FIRST_YEAR + index).reverse();
  return (
    <div className="field-inline">
      <label htmlFor={id}>{t('year')}</label>
      <select id={id} value={year} onChange={(event) => onChange(Number(event.target.value))}>
        {years.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>
    </div>
  );
}
