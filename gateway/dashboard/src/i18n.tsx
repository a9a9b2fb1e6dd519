import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** German first, English on request: the dashboard's readers are municipal staff. */
export type Locale = 'de' | 'en';

const messages = {
  appTitle: { de: 'Integrationsforum Ruhr', en: 'Ruhr Integration Forum' },
  appSubtitle: { de: 'Interkulturelle Öffnung der Stadtverwaltungen', en: 'Intercultural opening of the city administrations' },
  skipToContent: { de: 'Zum Inhalt springen', en: 'Skip to content' },
  navigation: { de: 'Hauptnavigation', en: 'Main navigation' },
  overview: { de: 'Übersicht', en: 'Overview' },
  cities: { de: 'Städte', en: 'Cities' },
  comparison: { de: 'Vergleich', en: 'Comparison' },
  submissions: { de: 'Meldungen', en: 'Submissions' },
  workbench: { de: 'GraphQL-Werkbank', en: 'GraphQL workbench' },
  language: { de: 'Sprache', en: 'Language' },
  switchLanguage: { de: 'English', en: 'Deutsch' },
  switchLanguageLabel: { de: 'Switch to English', en: 'Auf Deutsch umschalten' },
  year: { de: 'Jahr', en: 'Year' },
  loading: { de: 'Lädt …', en: 'Loading …' },
  loadFailed: { de: 'Die Daten konnten nicht geladen werden.', en: 'The figures could not be loaded.' },
  cityUnavailable: { de: 'Daten fehlen', en: 'Figures missing' },
  forumTitle: { de: 'Das Forum im Jahr {year}', en: 'The forum in {year}' },
  commitments: { de: 'Selbstverpflichtungen', en: 'Commitments' },
  staffCommitment: { de: 'Beschäftigte mit Zuwanderungsgeschichte', en: 'Staff with a migration history' },
  traineeCommitment: { de: 'Auszubildende mit Zuwanderungsgeschichte', en: 'Trainees with a migration history' },
  trainingCommitment: { de: 'Interkulturell geschulte Beschäftigte im Jobcenter', en: 'Jobcenter staff trained interculturally' },
  pooledShare: { de: 'Anteil im Forum', en: 'Share across the forum' },
  completionRate: { de: 'Schulungsquote', en: 'Completion rate' },
  target: { de: 'Ziel', en: 'Target' },
  gap: { de: 'Abstand zum Ziel', en: 'Gap to the target' },
  gapValue: { de: '{value} Prozentpunkte', en: '{value} percentage points' },
  points: { de: 'Prozentpunkte', en: 'percentage points' },
  increaseTarget: { de: 'Ziel: steigern (kein fester Wert)', en: 'Target: increase (no fixed share)' },
  reportingCities: { de: '{count} von {total} Städten melden', en: '{count} of {total} cities report' },
  membersTitle: { de: 'Die Städte im Vergleich zu ihrem eigenen Ziel', en: 'Each city against its own target' },
  membersChartLabel: {
    de: 'Balkendiagramm: Anteil der Beschäftigten mit Zuwanderungsgeschichte je Stadt {year}; Markierungen zeigen das Ziel jeder Stadt.',
    en: 'Bar chart: share of staff with a migration history per city in {year}; markers show each city\'s target.',
  },
  showTable: { de: 'Als Tabelle', en: 'As a table' },
  estimatesAmong: {
    de: '{count} der {total} Werte sind Schätzungen des Demo-Datensatzes (Herkunft: siehe Tabelle).',
    en: '{count} of the {total} values are estimates of the demo data set (provenance: see the table).',
  },
  missingTitle: { de: 'Wer fehlt {year}?', en: 'Who is missing in {year}?' },
  nobodyMissing: { de: 'Alle Mitgliedsstädte haben gemeldet.', en: 'Every member city has reported.' },
  UNAVAILABLE: { de: 'Dienst nicht erreichbar', en: 'service unavailable' },
  NOT_RECORDED: { de: 'erhebt keine Zuwanderungsgeschichte', en: 'does not record migration history' },
  NOT_REPORTED: { de: 'nicht gemeldet', en: 'not reported' },
  city: { de: 'Stadt', en: 'City' },
  share: { de: 'Anteil', en: 'Share' },
  headcount: { de: 'Beschäftigte', en: 'Headcount' },
  respondents: { de: 'Befragte', en: 'Respondents' },
  withMigrationHistory: { de: 'mit Zuwanderungsgeschichte', en: 'with a migration history' },
  withForeignNationality: { de: 'ausländische Staatsangehörigkeit', en: 'foreign nationality' },
  traineeShare: { de: 'Anteil Auszubildende', en: 'Trainee share' },
  jobcenterTraining: { de: 'Schulungsquote Jobcenter', en: 'Jobcenter training' },
  provenance: { de: 'Herkunft', en: 'Provenance' },
  OFFICIAL: { de: 'amtlich', en: 'official' },
  SUBMITTED: { de: 'gemeldet', en: 'submitted' },
  ESTIMATE: { de: 'Schätzung', en: 'estimate' },
  notRecorded: { de: 'nicht erhoben', en: 'not recorded' },
  notReported: { de: 'keine Meldung', en: 'no figures' },
  chooseCity: { de: 'Stadt wählen', en: 'Choose a city' },
  cityTitle: { de: '{city}: Entwicklung seit {from}', en: '{city}: trends since {from}' },
  staffTrend: { de: 'Beschäftigte mit Zuwanderungsgeschichte', en: 'Staff with a migration history' },
  traineeTrend: { de: 'Auszubildende mit Zuwanderungsgeschichte', en: 'Trainees with a migration history' },
  trainingTrend: { de: 'Interkulturelle Schulung im Jobcenter', en: 'Intercultural training in the Jobcenter' },
  trendChartLabel: { de: 'Liniendiagramm: {what}, {from} bis {to}.', en: 'Line chart: {what}, {from} to {to}.' },
  projection: {
    de: 'Beim Tempo der letzten fünf Jahre ({change} Prozentpunkte pro Jahr) erreicht {city} sein Ziel von {target} im Jahr {year}.',
    en: 'At the pace of the last five years ({change} percentage points a year), {city} reaches its target of {target} in {year}.',
  },
  projectionNever: {
    de: 'Beim Tempo der letzten fünf Jahre ({change} Prozentpunkte pro Jahr) erreicht {city} sein Ziel von {target} nicht.',
    en: 'At the pace of the last five years ({change} percentage points a year), {city} does not reach its target of {target}.',
  },
  projectionUnknown: { de: 'Für eine Prognose fehlen Meldungen.', en: 'Not enough figures for a projection.' },
  estimateNotice: {
    de: 'Offene Kreise und „Schätzung“ markieren geschätzte Zahlen des Demo-Datensatzes, keine amtlichen Werte.',
    en: 'Hollow circles and "estimate" mark estimated demo figures, not official ones.',
  },
  chartKey: {
    de: 'Rot gestrichelt: Ziel; grau gepunktet: Prognose beim bisherigen Tempo.',
    en: 'Dashed red: target; dotted grey: projection at the current pace.',
  },
  aboveTarget: { de: 'über dem Ziel', en: 'above the target' },
  sources: { de: 'Quellen', en: 'Sources' },
  noSources: { de: 'Alle gezeigten Zahlen sind Schätzungen.', en: 'All figures shown are estimates.' },
  comparisonTitle: { de: 'Alle Städte im Jahr {year}', en: 'All cities in {year}' },
  comparisonCaption: { de: 'Vergleich der Mitgliedsstädte {year}; Spaltenköpfe sortieren die Tabelle.', en: 'Member cities in {year}; column headers sort the table.' },
  sortBy: { de: 'Sortieren nach {column}', en: 'Sort by {column}' },
  exportCsv: { de: 'Als CSV herunterladen', en: 'Download as CSV' },
  signIn: { de: 'Anmelden', en: 'Sign in' },
  signOut: { de: 'Abmelden', en: 'Sign out' },
  token: { de: 'Zugangstoken', en: 'Access token' },
  tokenHelp: {
    de: 'Token der Personalabteilung (vom Identitätsanbieter, oder lokal: npm run token -- --role hr --city duisburg).',
    en: "Your HR team's token (from the identity provider, or locally: npm run token -- --role hr --city duisburg).",
  },
  signedInAs: { de: 'Angemeldet als {name} ({roles})', en: 'Signed in as {name} ({roles})' },
  notSignedIn: { de: 'Nicht angemeldet', en: 'Not signed in' },
  hrOnly: { de: 'Meldungen sind nur mit einem hr-Token einer Stadt möglich.', en: 'Submissions need an hr token of a city.' },
  staffForm: { de: 'Personalzahlen melden', en: 'Submit staff figures' },
  correctsRevision: { de: 'Korrigiert Revision {number}', en: 'Corrects revision {number}' },
  firstSubmission: { de: 'Erste Meldung für dieses Jahr', en: 'First submission for this year' },
  reason: { de: 'Begründung', en: 'Reason' },
  reasonHelp: { de: 'Pflicht bei einer Korrektur.', en: 'Required for a correction.' },
  source: { de: 'Quelle', en: 'Source' },
  submit: { de: 'Speichern', en: 'Save' },
  saved: { de: 'Gespeichert als Revision {number}.', en: 'Saved as revision {number}.' },
  wholeNumber: { de: 'Bitte eine ganze Zahl eingeben.', en: 'Please enter a whole number.' },
  refused: { de: 'Nicht gespeichert: bitte die markierten Angaben prüfen.', en: 'Not saved: please check the marked values.' },
  csvImport: { de: 'Tabelle importieren (CSV)', en: 'Import a spreadsheet (CSV)' },
  csvFile: { de: 'CSV-Datei', en: 'CSV file' },
  csvHelp: { de: 'Format und Vorlage: docs/submissions.md. Alle Zeilen oder keine.', en: 'Format and template: docs/submissions.md. All rows or none.' },
  importButton: { de: 'Importieren', en: 'Import' },
  imported: { de: '{rows} Zeilen importiert, {revisions} Revisionen gespeichert.', en: '{rows} rows imported, {revisions} revisions saved.' },
  importRefused: { de: 'Nichts importiert: {count} Problem(e).', en: 'Nothing imported: {count} problem(s).' },
  row: { de: 'Zeile', en: 'Line' },
  column: { de: 'Spalte', en: 'Column' },
  message: { de: 'Meldung', en: 'Message' },
  history: { de: 'Revisionen {year}', en: 'Revisions {year}' },
  revision: { de: 'Revision', en: 'Revision' },
  submittedBy: { de: 'von', en: 'by' },
  submittedAt: { de: 'am', en: 'on' },
  notFound: { de: 'Diese Seite gibt es nicht.', en: 'This page does not exist.' },
} as const;

export type MessageKey = keyof typeof messages;

export function translate(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  return Object.entries(values).reduce((text, [name, value]) => text.replaceAll(`{${name}}`, String(value)), messages[key][locale] as string);
}

const STORAGE_KEY = 'hub-locale';

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
}

const LocaleContext = createContext<LocaleState | null>(null);

function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'de' || stored === 'en') return stored;
  return 'de';
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem(STORAGE_KEY, locale);
  }, [locale]);
  const value = useMemo<LocaleState>(() => ({ locale, setLocale, t: (key, values) => translate(locale, key, values) }), [locale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  const state = useContext(LocaleContext);
  if (!state) throw new Error('useLocale outside LocaleProvider');
  return state;
}
