import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { GraphQLErrorEntry } from '../../api';
import { ErrorNotice } from '../../components/notices';
import { ScrollTable } from '../../components/scroll-table';
import { dateTime } from '../../format';
import { useLocale, type MessageKey } from '../../i18n';

/** Who submitted a revision, when and why: what every revision history shows besides the values. */
export interface RevisionMeta {
  number: number;
  submittedBy: string;
  submittedAt: string;
  reason: string | null;
}

/**
 * What the HR user typed and has not saved, per kind of figure, city and year (and unit), kept in the tab
 * (sessionStorage): an expired session sends the browser to the provider's login page and back, and the form must
 * come back as it was.
 */
interface Draft {
  values: Record<string, string>;
  reason: string;
  source: string;
}

function readDraft(key: string): Draft | null {
  const stored = sessionStorage.getItem(key);
  return stored ? (JSON.parse(stored) as Draft) : null;
}

/** German thousands separators are fine ("9.512"); an empty field is no value (null), anything else NaN or a number. */
export function parseCount(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed.replace(/\.(?=\d{3}(\D|$))/g, ''));
}

/** A count as the form shows it: empty for no value. */
export const asText = (value: number | null | undefined) => value?.toString() ?? '';

export interface SendResult {
  /** The revision written (or matched by a retry); null when nothing was written. */
  revision: number | null;
  errors: GraphQLErrorEntry[];
}

export interface FigureFormOptions {
  /** Id prefix of the form's elements (staff, new-hires, trainees, training). */
  prefix: string;
  /** Where the draft is kept in the tab; the staff form's key is the one drafts had before the other forms came. */
  draftKey: string;
  year: number;
  /** The values of the latest revision, by field name: what the form shows when there is no draft. */
  latestValues: Record<string, string>;
  /** The latest revision's number: a submission corrects it. Null for the year's first submission. */
  latestRevision: number | null;
  /** Sends the figures, with year, correctsRevision, reason, source and idempotencyKey added. */
  send: (input: Record<string, unknown>) => Promise<SendResult>;
  /** After a revision was written: load the latest again. */
  onSaved: () => void;
  /**
   * The form field a server error's `extensions.field` belongs to (e.g. units[2].headcount to a unit's row); by
   * default the field of the same name, where the form has one.
   */
  fieldOf?: (serverField: string) => string | null;
}

/**
 * State and submission of one kind of figures. A correction names the revision it corrects; the server's messages
 * sit at their fields (extensions.field), others above the button.
 */
export function useFigureForm(options: FigureFormOptions) {
  const { t, locale } = useLocale();
  const { draftKey, latestValues, latestRevision } = options;
  const [values, setValues] = useState<Record<string, string>>(latestValues);
  const [reason, setReason] = useState('');
  const [source, setSource] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<GraphQLErrorEntry[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The latest revision (or the draft) fills the form again when it, the year, the city or the unit changes.
  const latestKey = JSON.stringify([latestValues, latestRevision]);
  useEffect(() => {
    const draft = readDraft(draftKey);
    setValues(draft?.values ?? latestValues);
    setReason(draft?.reason ?? '');
    setSource(draft?.source ?? '');
    setFieldErrors({});
    setOtherErrors([]);
    // latestKey stands for latestValues and latestRevision, which are new objects on every render.
  }, [draftKey, latestKey]);

  const edit = (change: Partial<Draft>) => {
    const draft = { values, reason, source, ...change };
    sessionStorage.setItem(draftKey, JSON.stringify(draft));
    setValues(draft.values);
    setReason(draft.reason);
    setSource(draft.source);
  };
  const setValue = (name: string, value: string) => edit({ values: { ...values, [name]: value } });

  // Sending the same figures again (after "unknown whether written") reuses their key: the hub then answers with the
  // stored revision instead of writing it twice. Other figures get a new key.
  const attempt = useRef<{ figures: string; key: string } | null>(null);
  const keyFor = (figures: unknown) => {
    const fingerprint = JSON.stringify(figures);
    if (attempt.current?.figures !== fingerprint) attempt.current = { figures: fingerprint, key: `dashboard-${crypto.randomUUID()}` };
    return attempt.current.key;
  };

  /** `figuresOf` turns the parsed counts (by field name) into the input's own fields. */
  const submit = async (event: FormEvent, figuresOf: (counts: Record<string, number | null>) => Record<string, unknown>) => {
    event.preventDefault();
    setStatus(null);
    const counts = Object.fromEntries(Object.entries(values).map(([name, text]) => [name, parseCount(text)]));
    // Anything but a whole number is refused before it is sent.
    const notWhole = Object.keys(values).filter((name) => counts[name] !== null && !Number.isInteger(counts[name]));
    if (notWhole.length > 0) {
      setFieldErrors(Object.fromEntries(notWhole.map((name) => [name, t('wholeNumber')])));
      setOtherErrors([]);
      setStatus(t('refused'));
      return;
    }
    const figures = { year: options.year, correctsRevision: latestRevision, reason: reason || null, source: source || null, ...figuresOf(counts) };
    setBusy(true);
    const result = await options.send({ ...figures, idempotencyKey: keyFor({ draftKey, ...figures }) });
    setBusy(false);
    const fieldOf = options.fieldOf ?? ((field: string) => (field in values || field === 'reason' || field === 'source' ? field : null));
    const byField: Record<string, string> = {};
    const others: GraphQLErrorEntry[] = [];
    for (const error of result.errors) {
      const field = error.extensions?.field ? fieldOf(error.extensions.field) : null;
      const message = error.extensions?.messages?.[locale] ?? error.message;
      if (field) byField[field] = byField[field] ? `${byField[field]} ${message}` : message;
      else others.push(error);
    }
    setFieldErrors(byField);
    setOtherErrors(others);
    if (result.revision !== null) {
      attempt.current = null;
      sessionStorage.removeItem(draftKey);
      setStatus(t('saved', { number: result.revision }));
      options.onSaved();
    } else {
      setStatus(t('refused'));
    }
  };

  return { prefix: options.prefix, values, setValue, reason, source, edit, fieldErrors, otherErrors, status, busy, submit, latestRevision };
}

export type FigureForm = ReturnType<typeof useFigureForm>;

/** The id of a field's input, and of its message. */
export const inputId = (form: FigureForm, name: string) => `${form.prefix}-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;
export const errorId = (form: FigureForm, name: string) => `${inputId(form, name)}-error`;

/** The server's (or the form's own) message at a field, referenced by the field's aria-describedby. */
export function FieldError({ form, name }: { form: FigureForm; name: string }) {
  const message = form.fieldErrors[name];
  if (!message) return null;
  return (
    <p id={errorId(form, name)} className="field-error">
      {message}
    </p>
  );
}

/** A count, its label visible (or only for assistive technology, in a table row), its message below it. */
export function CountInput({ form, name, label, help, hiddenLabel }: { form: FigureForm; name: string; label: string; help?: string; hiddenLabel?: boolean }) {
  const id = inputId(form, name);
  const error = form.fieldErrors[name];
  const describedBy = [help ? `${id}-help` : null, error ? errorId(form, name) : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className={hiddenLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input
        id={id}
        name={name}
        inputMode="numeric"
        autoComplete="off"
        value={form.values[name] ?? ''}
        onChange={(event) => form.setValue(name, event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      <FieldError form={form} name={name} />
    </div>
  );
}

/** Why (required for a correction) and where from: every kind of figures has them. */
export function ReasonAndSource({ form }: { form: FigureForm }) {
  const { t } = useLocale();
  const reasonId = inputId(form, 'reason');
  const sourceId = inputId(form, 'source');
  return (
    <>
      <div className="field">
        <label htmlFor={reasonId}>{t('reason')}</label>
        <input
          id={reasonId}
          value={form.reason}
          onChange={(event) => form.edit({ reason: event.target.value })}
          aria-describedby={form.fieldErrors.reason ? `${reasonId}-help ${errorId(form, 'reason')}` : `${reasonId}-help`}
          aria-invalid={form.fieldErrors.reason ? true : undefined}
        />
        <p id={`${reasonId}-help`} className="help">
          {t('reasonHelp')}
        </p>
        <FieldError form={form} name="reason" />
      </div>
      <div className="field">
        <label htmlFor={sourceId}>{t('source')}</label>
        <input
          id={sourceId}
          value={form.source}
          onChange={(event) => form.edit({ source: event.target.value })}
          aria-describedby={form.fieldErrors.source ? errorId(form, 'source') : undefined}
          aria-invalid={form.fieldErrors.source ? true : undefined}
        />
        <FieldError form={form} name="source" />
      </div>
    </>
  );
}

/** The form around the fields: heading, which revision it corrects, reason and source, the button and the outcome. */
export function FigureFormFrame({
  form,
  heading,
  statusTestId,
  onSubmit,
  children,
}: {
  form: FigureForm;
  heading: string;
  statusTestId: string;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}) {
  const { t } = useLocale();
  const headingId = `${form.prefix}-form-heading`;
  return (
    <form onSubmit={onSubmit} className="staff-form figure-form" noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      <p>{form.latestRevision !== null ? t('correctsRevision', { number: form.latestRevision }) : t('firstSubmission')}</p>
      {children}
      <ReasonAndSource form={form} />
      <button type="submit" disabled={form.busy}>
        {t('submit')}
      </button>
      <p role="status" className="status" data-testid={statusTestId}>
        {form.status}
      </p>
      <ErrorNotice errors={form.otherErrors} />
    </form>
  );
}

export interface HistoryColumn<Row> {
  header: MessageKey;
  numeric?: boolean;
  cell: (row: Row) => ReactNode;
}

/** Every revision of the figures, oldest first: who submitted it, when, why, and the values. */
export function RevisionHistory<Row extends { revision: RevisionMeta }>({
  prefix,
  title,
  testId,
  rows,
  columns,
}: {
  prefix: string;
  title: string;
  testId: string;
  rows: readonly Row[];
  columns: ReadonlyArray<HistoryColumn<Row>>;
}) {
  const { t, locale } = useLocale();
  const headingId = `${prefix}-history-heading`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {rows.length === 0 ? (
        <p>{t('noRevisions')}</p>
      ) : (
      <ScrollTable caption={title} captionHidden testId={testId}>
        <thead>
          <tr>
            <th scope="col">{t('revision')}</th>
            {columns.map((column) => (
              <th scope="col" key={column.header} className={column.numeric ? 'numeric' : undefined}>
                {t(column.header)}
              </th>
            ))}
            <th scope="col">{t('submittedBy')}</th>
            <th scope="col">{t('submittedAt')}</th>
            <th scope="col">{t('reason')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.revision.number}>
              <th scope="row">{row.revision.number}</th>
              {columns.map((column) => (
                <td key={column.header} className={column.numeric ? 'numeric' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
              <td>{row.revision.submittedBy}</td>
              <td>{dateTime(row.revision.submittedAt, locale)}</td>
              <td>{row.revision.reason ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      )}
    </section>
  );
}
