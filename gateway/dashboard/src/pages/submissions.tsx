import { useEffect, useRef, useState, type FormEvent } from 'react';
import { graphql, type GraphQLErrorEntry } from '../api';
import { ErrorNotice } from '../components/notices';
import { ScrollTable } from '../components/scroll-table';
import { YearPicker } from '../components/year-picker';
import { count, dateTime, percent } from '../format';
import { useLocale, type MessageKey } from '../i18n';
import { IMPORT_FIGURES, STAFF_FOR_FORM, SUBMIT_STAFF } from '../queries';
import { holderOf, onSessionChange, sessionState, signIn, signOut, storedToken, type SessionState } from '../session';
import { useQuery } from '../use-query';

interface StaffForForm {
  municipality: {
    name: string | null;
    staff: { headcount: number | null; respondents: number | null; withMigrationHistory: number | null; withForeignNationality: number | null; revision: { number: number } } | null;
    staffRevisions: Array<{
      headcount: number | null;
      respondents: number | null;
      withMigrationHistory: number | null;
      share: number | null;
      revision: { number: number; submittedBy: string; submittedAt: string; reason: string | null };
    }> | null;
  } | null;
}

interface ImportReport {
  accepted: boolean;
  rowsRead: number;
  revisionsWritten: number;
  problems: Array<{ row: number; column: string | null; messages: { de: string; en: string } }>;
}

const COUNT_FIELDS = ['headcount', 'respondents', 'withMigrationHistory', 'withForeignNationality'] as const;
type CountField = (typeof COUNT_FIELDS)[number];

/** The session as the page shows it: who is signed in (from the token), and whether the session ran out. */
function useSession(): { token: string | null; state: SessionState } {
  const read = () => ({ token: storedToken(), state: sessionState() });
  const [session, setSession] = useState(read);
  useEffect(() => onSessionChange(() => setSession(read())), []);
  return session;
}

/** A role in words, with the city of an HR account ("Personalabteilung Duisburg"). */
function roleLabel(role: string, city: string | null, t: ReturnType<typeof useLocale>['t']): string {
  if (role === 'hr' && city) return t('hrOfCity', { city: city.charAt(0).toUpperCase() + city.slice(1) });
  if (role === 'member') return t('roleMember');
  if (role === 'admin') return t('roleAdmin');
  return role;
}

function SignIn() {
  const { t } = useLocale();
  const { token, state } = useSession();
  const holder = holderOf(token);
  if (state === 'unavailable') return <p className="notice">{t('signInUnavailable')}</p>;
  if (holder) {
    return (
      <div className="signed-in">
        <p data-testid="signed-in">{t('signedInAs', { name: holder.name, roles: holder.roles.map((role) => roleLabel(role, holder.city, t)).join(', ') })}</p>
        <button type="button" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </div>
    );
  }
  return (
    <div className="sign-in">
      {state === 'expired' && (
        <p role="alert" className="notice" data-testid="session-expired">
          {t('sessionExpired')}
        </p>
      )}
      <p>{t('signInHelp')}</p>
      <button type="button" onClick={() => void signIn()}>
        {t('signIn')}
      </button>
    </div>
  );
}

/**
 * What the HR user typed and has not saved, per city and year, kept in the tab (sessionStorage): an expired session
 * sends the browser to the provider's login page and back, and the form must come back as it was.
 */
interface StaffDraft {
  values: Record<CountField, string>;
  reason: string;
  source: string;
}
const draftKey = (city: string, year: number) => `hub-draft-staff-${city}-${year}`;
function readDraft(city: string, year: number): StaffDraft | null {
  const stored = sessionStorage.getItem(draftKey(city, year));
  return stored ? (JSON.parse(stored) as StaffDraft) : null;
}

/** The staff figures of a year: a correction names the revision it corrects; the server's messages sit at their fields. */
function StaffForm({ city, year }: { city: string; year: number }) {
  const { t, locale } = useLocale();
  const current = useQuery<StaffForForm>(STAFF_FOR_FORM, { id: city, year });
  const staff = current.data?.municipality?.staff ?? null;
  const [values, setValues] = useState<Record<CountField, string>>({ headcount: '', respondents: '', withMigrationHistory: '', withForeignNationality: '' });
  const [reason, setReason] = useState('');
  const [source, setSource] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<GraphQLErrorEntry[]>([]);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    const draft = readDraft(city, year);
    setValues(
      draft?.values ?? {
        headcount: staff?.headcount?.toString() ?? '',
        respondents: staff?.respondents?.toString() ?? '',
        withMigrationHistory: staff?.withMigrationHistory?.toString() ?? '',
        withForeignNationality: staff?.withForeignNationality?.toString() ?? '',
      },
    );
    setFieldErrors({});
    setReason(draft?.reason ?? '');
    setSource(draft?.source ?? '');
  }, [staff, city, year]);

  const edit = (change: Partial<StaffDraft>) => {
    const draft = { values, reason, source, ...change };
    sessionStorage.setItem(draftKey(city, year), JSON.stringify(draft));
    setValues(draft.values);
    setReason(draft.reason);
    setSource(draft.source);
  };

  // Sending the same figures again (after "unknown whether written") reuses their key: the hub then answers with the
  // stored revision instead of writing it twice. Other figures get a new key.
  const attempt = useRef<{ figures: string; key: string } | null>(null);
  const keyFor = (figures: unknown) => {
    const fingerprint = JSON.stringify(figures);
    if (attempt.current?.figures !== fingerprint) attempt.current = { figures: fingerprint, key: `dashboard-${crypto.randomUUID()}` };
    return attempt.current.key;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    // German thousands separators are fine ("9.512"); anything but a whole number is refused before it is sent.
    const number = (text: string) => (text.trim() === '' ? null : Number(text.trim().replace(/\.(?=\d{3}(\D|$))/g, '')));
    const notWhole = COUNT_FIELDS.filter((name) => values[name].trim() !== '' && !Number.isInteger(number(values[name])));
    if (notWhole.length > 0) {
      setFieldErrors(Object.fromEntries(notWhole.map((name) => [name, t('wholeNumber')])));
      setStatus(t('refused'));
      return;
    }
    const figures = {
      year,
      headcount: number(values.headcount),
      respondents: number(values.respondents),
      withMigrationHistory: number(values.withMigrationHistory),
      withForeignNationality: number(values.withForeignNationality),
      correctsRevision: staff?.revision.number ?? null,
      reason: reason || null,
      source: source || null,
    };
    const input = { ...figures, idempotencyKey: keyFor({ city, ...figures }) };
    const result = await graphql<{ municipality: { submitStaffFigures: { staff: { revision: { number: number } } } } | null }>(SUBMIT_STAFF, { city, input }, locale);
    const saved = result.data?.municipality?.submitStaffFigures;
    const byField: Record<string, string> = {};
    const others: GraphQLErrorEntry[] = [];
    for (const error of result.errors) {
      const field = error.extensions?.field;
      const message = error.extensions?.messages?.[locale] ?? error.message;
      if (field && (COUNT_FIELDS.includes(field as CountField) || field === 'reason')) byField[field] = message;
      else others.push(error);
    }
    setFieldErrors(byField);
    setOtherErrors(others);
    if (saved) {
      attempt.current = null;
      sessionStorage.removeItem(draftKey(city, year));
      setStatus(t('saved', { number: saved.staff.revision.number }));
      current.reload();
    } else {
      setStatus(t('refused'));
    }
  };

  const field = (name: CountField, label: MessageKey) => (
    <div className="field" key={name}>
      <label htmlFor={`staff-${name}`}>{t(label)}</label>
      <input
        id={`staff-${name}`}
        name={name}
        inputMode="numeric"
        value={values[name]}
        onChange={(event) => edit({ values: { ...values, [name]: event.target.value } })}
        aria-invalid={fieldErrors[name] ? true : undefined}
        aria-describedby={fieldErrors[name] ? `staff-${name}-error` : undefined}
      />
      {fieldErrors[name] && (
        <p id={`staff-${name}-error`} className="field-error">
          {fieldErrors[name]}
        </p>
      )}
    </div>
  );

  const revisions = current.data?.municipality?.staffRevisions ?? [];
  return (
    <>
      <form onSubmit={submit} className="staff-form" noValidate aria-labelledby="staff-form-heading">
        <h3 id="staff-form-heading">
          {t('staffForm')} {year}
        </h3>
        <p>{staff ? t('correctsRevision', { number: staff.revision.number }) : t('firstSubmission')}</p>
        <div className="fields">
          {field('headcount', 'headcount')}
          {field('respondents', 'respondents')}
          {field('withMigrationHistory', 'withMigrationHistory')}
          {field('withForeignNationality', 'withForeignNationality')}
        </div>
        <div className="field">
          <label htmlFor="staff-reason">{t('reason')}</label>
          <input
            id="staff-reason"
            value={reason}
            onChange={(event) => edit({ reason: event.target.value })}
            aria-describedby={fieldErrors.reason ? 'staff-reason-help staff-reason-error' : 'staff-reason-help'}
            aria-invalid={fieldErrors.reason ? true : undefined}
          />
          <p id="staff-reason-help" className="help">
            {t('reasonHelp')}
          </p>
          {fieldErrors.reason && (
            <p id="staff-reason-error" className="field-error">
              {fieldErrors.reason}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="staff-source">{t('source')}</label>
          <input id="staff-source" value={source} onChange={(event) => edit({ source: event.target.value })} />
        </div>
        <button type="submit">{t('submit')}</button>
        <p role="status" className="status" data-testid="submit-status">
          {status}
        </p>
        <ErrorNotice errors={otherErrors} />
      </form>

      <section aria-labelledby="history-heading">
        <h3 id="history-heading">{t('history', { year })}</h3>
        <ScrollTable caption={t('history', { year })} captionHidden testId="revision-history">
          <thead>
            <tr>
              <th scope="col">{t('revision')}</th>
              <th scope="col" className="numeric">{t('headcount')}</th>
              <th scope="col" className="numeric">{t('share')}</th>
              <th scope="col">{t('submittedBy')}</th>
              <th scope="col">{t('submittedAt')}</th>
              <th scope="col">{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {revisions.map((revision) => (
              <tr key={revision.revision.number}>
                <th scope="row">{revision.revision.number}</th>
                <td className="numeric">{count(revision.headcount, locale)}</td>
                <td className="numeric">{percent(revision.share, locale)}</td>
                <td>{revision.revision.submittedBy}</td>
                <td>{dateTime(revision.revision.submittedAt, locale)}</td>
                <td>{revision.revision.reason ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </section>
    </>
  );
}

function CsvImport({ city }: { city: string }) {
  const { t, locale } = useLocale();
  const [report, setReport] = useState<ImportReport | null>(null);
  const [errors, setErrors] = useState<GraphQLErrorEntry[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = (event.currentTarget.elements.namedItem('csv') as HTMLInputElement).files?.[0];
    if (!file) return;
    setBusy(true);
    const result = await graphql<{ municipality: { importFigures: ImportReport } | null }>(IMPORT_FIGURES, { city, csv: await file.text() }, locale);
    setBusy(false);
    setReport(result.data?.municipality?.importFigures ?? null);
    setErrors(result.errors);
  };

  return (
    <form onSubmit={submit} className="csv-import" aria-labelledby="csv-heading">
      <h3 id="csv-heading">{t('csvImport')}</h3>
      <div className="field">
        <label htmlFor="csv-file">{t('csvFile')}</label>
        <input id="csv-file" name="csv" type="file" accept=".csv,text/csv" aria-describedby="csv-help" />
        <p id="csv-help" className="help">
          {t('csvHelp')}
        </p>
      </div>
      <button type="submit" disabled={busy}>
        {t('importButton')}
      </button>
      <div role="status" data-testid="import-report">
        {report?.accepted && <p>{t('imported', { rows: report.rowsRead, revisions: report.revisionsWritten })}</p>}
        {report && !report.accepted && <p>{t('importRefused', { count: report.problems.length })}</p>}
      </div>
      {report && !report.accepted && (
        <ScrollTable caption={t('importRefused', { count: report.problems.length })}>
          <thead>
            <tr>
              <th scope="col">{t('row')}</th>
              <th scope="col">{t('column')}</th>
              <th scope="col">{t('message')}</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((problem, index) => (
              <tr key={index}>
                <th scope="row">{problem.row}</th>
                <td>{problem.column ?? '–'}</td>
                <td>{problem.messages[locale]}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      <ErrorNotice errors={errors} />
    </form>
  );
}

const YEAR_KEY = 'hub-submission-year';

/** For a city's HR team: sign in at the identity provider, submit or correct staff figures, import a spreadsheet, see the revisions. */
export function Submissions() {
  const { t } = useLocale();
  const { token } = useSession();
  const holder = holderOf(token);
  // Kept in the tab with the drafts: back from the provider's login page, the form shows the year it showed.
  const [year, setYearState] = useState(() => Number(sessionStorage.getItem(YEAR_KEY)) || new Date().getFullYear() - 1);
  const setYear = (value: number) => {
    sessionStorage.setItem(YEAR_KEY, String(value));
    setYearState(value);
  };
  const city = holder?.roles.includes('hr') ? holder.city : null;
  return (
    <>
      <h1>{t('submissions')}</h1>
      <SignIn />
      {holder && !city && <p className="notice">{t('hrOnly')}</p>}
      {city && (
        <>
          <YearPicker id="submission-year" year={year} onChange={setYear} />
          <StaffForm city={city} year={year} />
          <CsvImport city={city} />
        </>
      )}
    </>
  );
}
