import { useRef, type FormEvent } from 'react';
import { graphql } from '../../api';
import { ScrollTable } from '../../components/scroll-table';
import { count, percent } from '../../format';
import { useLocale } from '../../i18n';
import { STAFF_FOR_FORM, SUBMIT_STAFF } from '../../queries';
import { useQuery } from '../../use-query';
import { asText, CountInput, errorId, FieldError, FigureFormFrame, RevisionHistory, useFigureForm, type FigureForm, type RevisionMeta } from './figure-form';

export interface Unit {
  id: string;
  name: string;
  nameEn: string;
}

interface UnitCounts {
  unit: string;
  headcount: number | null;
  respondents: number | null;
  withMigrationHistory: number | null;
}

interface StaffForForm {
  municipality: {
    name: string | null;
    units: Unit[] | null;
    staff: {
      headcount: number | null;
      respondents: number | null;
      withMigrationHistory: number | null;
      withForeignNationality: number | null;
      byUnit: UnitCounts[] | null;
      revision: { number: number };
    } | null;
    staffRevisions: Array<{
      headcount: number | null;
      respondents: number | null;
      withMigrationHistory: number | null;
      withForeignNationality: number | null;
      share: number | null;
      byUnit: Array<{ unit: string }> | null;
      revision: RevisionMeta;
    }> | null;
  } | null;
}

const TOTALS = ['headcount', 'respondents', 'withMigrationHistory', 'withForeignNationality'] as const;
const UNIT_COUNTS = ['headcount', 'respondents', 'withMigrationHistory'] as const;

/** The form's name of a unit's count: unit.jobcenter.headcount. */
const unitField = (unit: string, name: string) => `unit.${unit}.${name}`;

/** A unit's name in the reader's language. */
export const unitName = (unit: Unit, locale: 'de' | 'en') => (locale === 'de' ? unit.name : unit.nameEn);

/** The staff figures of a year, with the breakdown by organisational unit; a correction resends the breakdown shown. */
export function StaffForm({ city, year }: { city: string; year: number }) {
  const { t, locale } = useLocale();
  const current = useQuery<StaffForForm>(STAFF_FOR_FORM, { id: city, year });
  const municipality = current.data?.municipality;
  const staff = municipality?.staff ?? null;
  const units = municipality?.units ?? [];

  const latestValues: Record<string, string> = Object.fromEntries(TOTALS.map((name) => [name, asText(staff?.[name])]));
  for (const unit of units) {
    const counts = staff?.byUnit?.find((entry) => entry.unit === unit.id);
    for (const name of UNIT_COUNTS) latestValues[unitField(unit.id, name)] = asText(counts?.[name]);
  }

  // The units in the order they were sent: the server names a unit's field by its place (units[2].headcount).
  const sentUnits = useRef<string[]>([]);
  const form = useFigureForm({
    prefix: 'staff',
    draftKey: `hub-draft-staff-${city}-${year}`,
    year,
    latestValues,
    latestRevision: staff?.revision.number ?? null,
    send: async (input) => {
      const result = await graphql<{ municipality: { submitStaffFigures: { staff: { revision: { number: number } } } } | null }>(SUBMIT_STAFF, { city, input }, locale);
      return { revision: result.data?.municipality?.submitStaffFigures.staff.revision.number ?? null, errors: result.errors };
    },
    onSaved: current.reload,
    fieldOf: (field) => {
      const inUnit = /^units\[(\d+)\]\.(\w+)$/.exec(field);
      if (inUnit) {
        const unit = sentUnits.current[Number(inUnit[1])];
        if (!unit) return 'units';
        return UNIT_COUNTS.includes(inUnit[2] as (typeof UNIT_COUNTS)[number]) ? unitField(unit, inUnit[2]!) : unitField(unit, 'headcount');
      }
      return [...TOTALS, 'units', 'reason', 'source'].includes(field) ? field : null;
    },
  });

  const submit = (event: FormEvent) =>
    form.submit(event, (counts) => {
      // A unit with no count entered is not part of the breakdown; one with any count is, and the server checks it.
      const breakdown = units
        .filter((unit) => UNIT_COUNTS.some((name) => counts[unitField(unit.id, name)] !== null))
        .map((unit) => ({
          unit: unit.id,
          headcount: counts[unitField(unit.id, 'headcount')],
          respondents: counts[unitField(unit.id, 'respondents')],
          withMigrationHistory: counts[unitField(unit.id, 'withMigrationHistory')],
        }));
      sentUnits.current = breakdown.map((entry) => entry.unit);
      return {
        headcount: counts.headcount,
        respondents: counts.respondents,
        withMigrationHistory: counts.withMigrationHistory,
        withForeignNationality: counts.withForeignNationality,
        units: breakdown.length > 0 ? breakdown : null,
      };
    });

  return (
    <>
      <FigureFormFrame form={form} heading={`${t('staffForm')} ${year}`} statusTestId="submit-status" onSubmit={submit}>
        <div className="fields">
          {TOTALS.map((name) => (
            <CountInput key={name} form={form} name={name} label={t(name)} />
          ))}
        </div>
        {units.length > 0 && <UnitBreakdown form={form} units={units} />}
      </FigureFormFrame>
      <RevisionHistory
        prefix="staff"
        title={t('historyOf', { what: t('staffFigures'), year })}
        testId="revision-history"
        rows={municipality?.staffRevisions ?? []}
        columns={[
          { header: 'headcount', numeric: true, cell: (row) => count(row.headcount, locale) },
          { header: 'respondents', numeric: true, cell: (row) => count(row.respondents, locale) },
          { header: 'withMigrationHistory', numeric: true, cell: (row) => count(row.withMigrationHistory, locale) },
          { header: 'share', numeric: true, cell: (row) => percent(row.share, locale) },
          { header: 'withForeignNationality', numeric: true, cell: (row) => count(row.withForeignNationality, locale) },
          { header: 'unitsBrokenDown', numeric: true, cell: (row) => count(row.byUnit?.length ?? 0, locale) },
        ]}
      />
    </>
  );
}

/**
 * One row per organisational unit: staff, respondents, with a migration history. A table, because the three counts of
 * a unit belong together; it scrolls in its own region on a narrow screen. Each input is named by unit and count.
 */
function UnitBreakdown({ form, units }: { form: FigureForm; units: readonly Unit[] }) {
  const { t, locale } = useLocale();
  return (
    <fieldset
      className="unit-breakdown"
      aria-describedby={form.fieldErrors.units ? `staff-units-help ${errorId(form, 'units')}` : 'staff-units-help'}
    >
      <legend>{t('unitBreakdown')}</legend>
      <p id="staff-units-help" className="help">
        {t('unitBreakdownHelp')}
      </p>
      <FieldError form={form} name="units" />
      <ScrollTable caption={t('unitBreakdown')} captionHidden>
        <thead>
          <tr>
            <th scope="col">{t('unit')}</th>
            {UNIT_COUNTS.map((name) => (
              <th scope="col" key={name}>
                {t(name)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {units.map((unit) => (
            <tr key={unit.id}>
              <th scope="row">{unitName(unit, locale)}</th>
              {UNIT_COUNTS.map((name) => (
                <td key={name}>
                  <CountInput form={form} name={unitField(unit.id, name)} label={t('unitCount', { unit: unitName(unit, locale), count: t(name) })} hiddenLabel />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </fieldset>
  );
}
