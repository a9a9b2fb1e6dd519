import { useLocale } from '../i18n';

export const FIRST_YEAR = 2010;
/** The latest year with a full set of demo figures; the picker offers every year up to the current one. */
export const DEFAULT_YEAR = 2024;

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
