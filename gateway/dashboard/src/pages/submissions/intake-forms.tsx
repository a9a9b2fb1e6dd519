import type { FormEvent } from 'react';
import { graphql } from '../../api';
import { count, percent } from '../../format';
import { useLocale, type MessageKey } from '../../i18n';
import { NEW_HIRES_FOR_FORM, SUBMIT_NEW_HIRES, SUBMIT_TRAINEE_INTAKE, TRAINEES_FOR_FORM } from '../../queries';
import { useQuery } from '../../use-query';
import { asText, CountInput, FigureFormFrame, RevisionHistory, useFigureForm, type RevisionMeta } from './figure-form';

/**
 * New hires and trainee intake have the same shape: how many people came that year, and how many of them with a
 * migration history. Only the names differ, in the schema and on screen.
 */
interface Latest {
  total: number | null;
  withMigrationHistory: number | null;
  revision: { number: number };
}

interface HistoryRow {
  total: number | null;
  withMigrationHistory: number | null;
  share: number | null;
  revision: RevisionMeta;
}

interface IntakeKind {
  prefix: string;
  heading: MessageKey;
  what: MessageKey;
  /** The input's (and the figures') name of the total: total for new hires, intake for trainees. */
  totalField: 'total' | 'intake';
  totalLabel: MessageKey;
  query: string;
  mutation: string;
  /** The latest figures and every revision, from the query's answer, with the total named total. */
  read: (data: unknown) => { latest: Latest | null; revisions: HistoryRow[] };
  /** The revision written, from the mutation's answer. */
  written: (data: unknown) => number | null;
}

const NEW_HIRES: IntakeKind = {
  prefix: 'new-hires',
  heading: 'newHiresForm',
  what: 'newHires',
  totalField: 'total',
  totalLabel: 'newHiresTotal',
  query: NEW_HIRES_FOR_FORM,
  mutation: SUBMIT_NEW_HIRES,
  read: (data) => {
    const municipality = (data as { municipality: { newHires: Latest | null; newHireRevisions: HistoryRow[] | null } | null } | null)?.municipality;
    return { latest: municipality?.newHires ?? null, revisions: municipality?.newHireRevisions ?? [] };
  },
  written: (data) => (data as { municipality: { submitNewHires: { newHires: { revision: { number: number } } } } | null } | null)?.municipality?.submitNewHires.newHires.revision.number ?? null,
};

type WithIntake<Entry> = Omit<Entry, 'total'> & { intake: number | null };

const TRAINEES: IntakeKind = {
  prefix: 'trainees',
  heading: 'traineesForm',
  what: 'trainees',
  totalField: 'intake',
  totalLabel: 'traineeIntake',
  query: TRAINEES_FOR_FORM,
  mutation: SUBMIT_TRAINEE_INTAKE,
  read: (data) => {
    const municipality = (data as { municipality: { trainees: WithIntake<Latest> | null; traineeRevisions: Array<WithIntake<HistoryRow>> | null } | null } | null)
      ?.municipality;
    const trainees = municipality?.trainees;
    return {
      latest: trainees ? { ...trainees, total: trainees.intake } : null,
      revisions: (municipality?.traineeRevisions ?? []).map((entry) => ({ ...entry, total: entry.intake })),
    };
  },
  written: (data) =>
    (data as { municipality: { submitTraineeIntake: { trainees: { revision: { number: number } } } } | null } | null)?.municipality?.submitTraineeIntake.trainees.revision.number ?? null,
};

function IntakeForm({ kind, city, year }: { kind: IntakeKind; city: string; year: number }) {
  const { t, locale } = useLocale();
  const current = useQuery<unknown>(kind.query, { id: city, year });
  const { latest, revisions } = kind.read(current.data);
  const form = useFigureForm({
    prefix: kind.prefix,
    draftKey: `hub-draft-${kind.prefix}-${city}-${year}`,
    year,
    latestValues: { [kind.totalField]: asText(latest?.total), withMigrationHistory: asText(latest?.withMigrationHistory) },
    latestRevision: latest?.revision.number ?? null,
    send: async (input) => {
      const result = await graphql<unknown>(kind.mutation, { city, input }, locale);
      return { revision: kind.written(result.data), errors: result.errors };
    },
    onSaved: current.reload,
  });
  const submit = (event: FormEvent) =>
    form.submit(event, (counts) => ({ [kind.totalField]: counts[kind.totalField], withMigrationHistory: counts.withMigrationHistory }));

  return (
    <>
      <FigureFormFrame form={form} heading={`${t(kind.heading)} ${year}`} statusTestId={`${kind.prefix}-status`} onSubmit={submit}>
        <div className="fields">
          <CountInput form={form} name={kind.totalField} label={t(kind.totalLabel)} />
          <CountInput form={form} name="withMigrationHistory" label={t('ofThemWithMigrationHistory')} help={t('migrationHistoryHelp')} />
        </div>
      </FigureFormFrame>
      <RevisionHistory
        prefix={kind.prefix}
        title={t('historyOf', { what: t(kind.what), year })}
        testId={`${kind.prefix}-history`}
        rows={revisions}
        columns={[
          { header: kind.totalLabel, numeric: true, cell: (row) => count(row.total, locale) },
          { header: 'withMigrationHistory', numeric: true, cell: (row) => count(row.withMigrationHistory, locale) },
          { header: 'share', numeric: true, cell: (row) => percent(row.share, locale) },
        ]}
      />
    </>
  );
}

/** A year's new hires (Neueinstellungen, trainees not included). */
export function NewHiresForm({ city, year }: { city: string; year: number }) {
  return <IntakeForm kind={NEW_HIRES} city={city} year={year} />;
}

/** A year's trainee intake (Auszubildende). */
export function TraineesForm({ city, year }: { city: string; year: number }) {
  return <IntakeForm kind={TRAINEES} city={city} year={year} />;
}
