import { useEffect, useState, type FormEvent } from 'react';
import { graphql, type GraphQLErrorEntry } from '../api';
import { ErrorNotice } from '../components/notices';
import { ScrollTable } from '../components/scroll-table';
import { YearPicker } from '../components/year-picker';
import { useLocale } from '../i18n';
import { FIGURE_IMPORT_JOB, START_FIGURE_IMPORT } from '../queries';
import { holderOf, onSessionChange, sessionState, signIn, signOut, storedToken, type SessionState } from '../session';
import { FigureKinds } from './submissions/figure-kinds';

interface ImportReport {
  accepted: boolean;
  rowsRead: number;
  revisionsWritten: number;
  problems: Array<{ row: number; column: string | null; messages: { de: string; en: string } }>;
}

/** A CSV import running on the hub (FigureImportJob): its progress, and its report once it ended. */
interface ImportJob {
  id: string;
  status: 'CHECKING' | 'WRITING' | 'SUCCEEDED' | 'REFUSED' | 'FAILED';
  rowsTotal: number;
  rowsChecked: number;
  revisionsTotal: number | null;
  revisionsWritten: number;
  report: ImportReport | null;
}

/** How often the form asks for a running import. */
const IMPORT_FOLLOW_MS = 500;

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

/** The progress of a running import, as the hub reports it: rows checked, then revisions written. */
function ImportProgress({ job }: { job: ImportJob }) {
  const { t } = useLocale();
  const writing = job.status === 'WRITING';
  const done = writing ? job.revisionsWritten : job.rowsChecked;
  const total = writing ? (job.revisionsTotal ?? job.revisionsWritten) : job.rowsTotal;
  return (
    <div className="field" data-testid="import-progress">
      <label htmlFor="csv-progress">{t('importProgress')}</label>
      <progress id="csv-progress" max={Math.max(total, 1)} value={done} aria-describedby="csv-progress-text" />
      <p id="csv-progress-text">{t(writing ? 'importWriting' : 'importChecking', { done, total })}</p>
    </div>
  );
}

function CsvImport({ city }: { city: string }) {
  const { t, locale } = useLocale();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [errors, setErrors] = useState<GraphQLErrorEntry[]>([]);
  const running = job?.status === 'CHECKING' || job?.status === 'WRITING';
  const report = job?.report ?? null;

  // Follows a running job until it ends; a page left meanwhile stops asking.
  useEffect(() => {
    if (!job || !running) return undefined;
    let stopped = false;
    const timer = setTimeout(async () => {
      const result = await graphql<{ municipality: { figureImportJob: ImportJob | null } | null }>(FIGURE_IMPORT_JOB, { city, id: job.id }, locale);
      if (stopped) return;
      setErrors(result.errors);
      const next = result.data?.municipality?.figureImportJob;
      // Asked again after a failed question; a job that is gone (null) ends the following.
      if (next !== undefined) setJob(next ?? { ...job, status: 'FAILED' });
      else setJob({ ...job });
    }, IMPORT_FOLLOW_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job, running, city, locale]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = (event.currentTarget.elements.namedItem('csv') as HTMLInputElement).files?.[0];
    if (!file) return;
    setJob(null);
    const result = await graphql<{ municipality: { startFigureImport: ImportJob } | null }>(START_FIGURE_IMPORT, { city, csv: await file.text() }, locale);
    setJob(result.data?.municipality?.startFigureImport ?? null);
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
      <button type="submit" disabled={running}>
        {t('importButton')}
      </button>
      {job && running && <ImportProgress job={job} />}
      <div role="status" data-testid="import-report">
        {report?.accepted && <p>{t('imported', { rows: report.rowsRead, revisions: report.revisionsWritten })}</p>}
        {report && !report.accepted && <p>{t('importRefused', { count: report.problems.length })}</p>}
        {job?.status === 'FAILED' && <p>{t('importFailed')}</p>}
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

/**
 * For a city's HR team: sign in at the identity provider; submit or correct each kind of figures (staff with its
 * breakdown by unit, new hires, trainee intake, training per unit) and see its revisions; import a spreadsheet.
 */
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
          <FigureKinds city={city} year={year} />
          <CsvImport city={city} />
        </>
      )}
    </>
  );
}
