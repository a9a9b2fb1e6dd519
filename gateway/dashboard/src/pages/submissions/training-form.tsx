import { useState, type FormEvent } from 'react';
import { graphql } from '../../api';
import { count, percent } from '../../format';
import { useLocale } from '../../i18n';
import { SUBMIT_TRAINING, TRAINING_FOR_FORM } from '../../queries';
import { useQuery } from '../../use-query';
import { asText, CountInput, errorId, FieldError, FigureFormFrame, RevisionHistory, useFigureForm, type FigureForm, type RevisionMeta } from './figure-form';
import { unitName, type Unit } from './staff-form';

interface TrainingForForm {
  municipality: {
    units: Unit[] | null;
    interculturalTraining: Array<{ unit: string; staffInScope: number | null; completed: number | null; revision: { number: number } }> | null;
    trainingRevisions: Array<{
      unit: string;
      staffInScope: number | null;
      completed: number | null;
      completionRate: number | null;
      revision: RevisionMeta;
    }> | null;
  } | null;
}

/** Kept in the tab with the drafts: back from the provider's login page, the form shows the unit it showed. */
const UNIT_KEY = 'hub-submission-training-unit';

/** Intercultural training is reported per organisational unit: the unit picked, its latest figures and its revisions. */
export function TrainingForm({ city, year }: { city: string; year: number }) {
  const { t, locale } = useLocale();
  const current = useQuery<TrainingForForm>(TRAINING_FOR_FORM, { id: city, year });
  const municipality = current.data?.municipality;
  const units = municipality?.units ?? [];
  const [picked, setPicked] = useState(() => sessionStorage.getItem(UNIT_KEY));
  const unit = units.find((candidate) => candidate.id === picked)?.id ?? units[0]?.id ?? null;
  const pick = (id: string) => {
    sessionStorage.setItem(UNIT_KEY, id);
    setPicked(id);
  };
  const latest = municipality?.interculturalTraining?.find((entry) => entry.unit === unit) ?? null;

  const form = useFigureForm({
    prefix: 'training',
    draftKey: `hub-draft-training-${city}-${year}-${unit ?? ''}`,
    year,
    latestValues: { staffInScope: asText(latest?.staffInScope), completed: asText(latest?.completed) },
    latestRevision: latest?.revision.number ?? null,
    send: async (input) => {
      const result = await graphql<{ municipality: { submitTraining: { training: { revision: { number: number } } } } | null }>(SUBMIT_TRAINING, { city, input }, locale);
      return { revision: result.data?.municipality?.submitTraining.training.revision.number ?? null, errors: result.errors };
    },
    onSaved: current.reload,
    fieldOf: (field) => (['unit', 'staffInScope', 'completed', 'reason', 'source'].includes(field) ? field : null),
  });
  const submit = (event: FormEvent) => form.submit(event, (counts) => ({ unit, staffInScope: counts.staffInScope, completed: counts.completed }));

  const picker = units.find((candidate) => candidate.id === unit);
  return (
    <>
      <FigureFormFrame form={form} heading={`${t('trainingForm')} ${year}`} statusTestId="training-status" onSubmit={submit}>
        <UnitPicker form={form} units={units} unit={unit} onPick={pick} />
        <div className="fields">
          <CountInput form={form} name="staffInScope" label={t('staffInScope')} help={t('staffInScopeHelp')} />
          <CountInput form={form} name="completed" label={t('trainingCompleted')} help={t('trainingCompletedHelp')} />
        </div>
      </FigureFormFrame>
      <RevisionHistory
        prefix="training"
        title={t('historyOf', { what: picker ? `${t('training')}, ${unitName(picker, locale)}` : t('training'), year })}
        testId="training-history"
        rows={(municipality?.trainingRevisions ?? []).filter((entry) => entry.unit === unit)}
        columns={[
          { header: 'staffInScope', numeric: true, cell: (row) => count(row.staffInScope, locale) },
          { header: 'trainingCompleted', numeric: true, cell: (row) => count(row.completed, locale) },
          { header: 'completionRate', numeric: true, cell: (row) => percent(row.completionRate, locale) },
        ]}
      />
    </>
  );
}

function UnitPicker({ form, units, unit, onPick }: { form: FigureForm; units: readonly Unit[]; unit: string | null; onPick: (unit: string) => void }) {
  const { t, locale } = useLocale();
  const error = form.fieldErrors.unit;
  return (
    <div className="field">
      <label htmlFor="training-unit">{t('unit')}</label>
      <select
        id="training-unit"
        value={unit ?? ''}
        onChange={(event) => onPick(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId(form, 'unit') : undefined}
      >
        {units.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {unitName(candidate, locale)}
          </option>
        ))}
      </select>
      <FieldError form={form} name="unit" />
    </div>
  );
}
