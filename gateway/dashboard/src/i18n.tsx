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
  answerAge: {
    de: 'Stand vor {age}: Diese Zahlen kommen aus dem Zwischenspeicher des Hubs; neuere Meldungen erscheinen beim nächsten Laden.',
    en: 'As of {age} ago: these figures come from the hub’s cache; newer submissions show on the next load.',
  },
  minutesShort: { de: 'Min.', en: 'min' },
  cityUnavailable: { de: 'Daten fehlen', en: 'Figures missing' },
  forumTitle: { de: 'Das Forum im Jahr {year}', en: 'The forum in {year}' },
  commitments: { de: 'Selbstverpflichtungen', en: 'Commitments' },
  staffCommitment: { de: 'Beschäftigte mit Zuwanderungsgeschichte', en: 'Staff with a migration history' },
  traineeCommitment: { de: 'Auszubildende mit Zuwanderungsgeschichte', en: 'Trainees with a migration history' },
  trainingCommitment: { de: 'Interkulturell geschulte Beschäftigte im Jobcenter', en: 'Jobcenter staff trained interculturally' },
  weightedShare: {
    de: 'Geschätzter Anteil unter allen Beschäftigten der meldenden Städte (nach Beschäftigtenzahl gewichtet)',
    en: 'Estimated share among all staff of the reporting cities (weighted by headcount)',
  },
  pooledShareLabel: { de: 'Zum Vergleich, alle Antworten zusammengezählt (gepoolt):', en: 'For comparison, all answers added up (pooled):' },
  pooledShareWhy: {
    de: 'Darin wiegt eine Stadt mit hoher Rücklaufquote mehr, als es ihrer Beschäftigtenzahl entspricht.',
    en: 'In it, a city with a high response rate weighs more than its staff do.',
  },
  traineeShareLabel: {
    de: 'Anteil unter allen neuen Auszubildenden der meldenden Städte (vollständige Zählung, keine Befragung: kein Intervall)',
    en: 'Share among all new trainees of the reporting cities (a full count, not a survey: no interval)',
  },
  trainingShareLabel: {
    de: 'Geschult unter allen Beschäftigten der Jobcenter in der Zielgruppe (vollständige Zählung)',
    en: 'Trained among all Jobcenter staff in scope (a full count)',
  },
  interval: { de: '95-%-Intervall', en: '95 % interval' },
  intervalValue: { de: '95-%-Intervall: {range}', en: '95 % interval: {range}' },
  intervalExplanation: {
    de: '95-%-Intervall: der Bereich, in dem der wahre Anteil aller Beschäftigten mit hoher Wahrscheinlichkeit liegt; er ist breiter, je weniger Beschäftigte an der Befragung teilgenommen haben.',
    en: '95 % interval: the range in which the true share among all staff lies with high probability; the fewer staff took part in the survey, the wider it is.',
  },
  headlineTarget: { de: 'Zielmarke: {target} (fest, für das ganze Forum)', en: 'Headline target: {target} (fixed, for the whole forum)' },
  gapToHeadline: { de: 'Abstand zur Zielmarke', en: 'Gap to the headline' },
  parityShare: {
    de: 'Daneben die Bevölkerungsparität: {share}. So hoch ist der Anteil mit Zuwanderungsgeschichte in der Bevölkerung der meldenden Städte, nach Einwohnerzahl gewichtet.',
    en: 'Beside it, parity with the population: {share}. That is the share with a migration history in the population of the reporting cities, weighted by population.',
  },
  parityOneDefinition: { de: 'Definition: {definition}.', en: 'Definition: {definition}.' },
  parityMixedDefinitions: {
    de: 'Der Wert mischt {definitions}; die Definitionen zählen nicht dieselben Menschen.',
    en: 'It mixes {definitions}; the definitions do not count the same people.',
  },
  parityStatus: { de: 'Gemessen an der Parität: {status}', en: 'Measured against parity: {status}' },
  parityBasisTitle: { de: 'Woraus sich die Bevölkerungsparität {year} zusammensetzt', en: 'What parity with the population in {year} is made of' },
  population: { de: 'Einwohner', en: 'Population' },
  basisYear: { de: 'Stand', en: 'Year of the figure' },
  definition: { de: 'Definition', en: 'Definition' },
  MIGRATION_BACKGROUND: { de: 'Migrationshintergrund (Mikrozensus)', en: 'migration background (Mikrozensus)' },
  IMMIGRATION_HISTORY: { de: 'Einwanderungsgeschichte (Zensus 2022)', en: 'immigration history (Zensus 2022)' },
  and: { de: 'und', en: 'and' },
  completionRate: { de: 'Schulungsquote', en: 'Completion rate' },
  target: { de: 'Ziel', en: 'Target' },
  gap: { de: 'Abstand zum Ziel', en: 'Gap to the target' },
  status: { de: 'Ziel erreicht?', en: 'Target met?' },
  // Soft hyphens (\u00AD) let long headers of the comparison break where German breaks them; CSV files leave them out.
  shareHeader: { de: 'Anteil mit Zuwanderungs\u00ADgeschichte (95-%-Intervall)', en: 'Share with a migration history (95 % interval)' },
  gapHeader: { de: 'Abstand zum Ziel (Prozent\u00ADpunkte)', en: 'Gap to the target (percentage points)' },
  MET: { de: 'Ziel erreicht – auch unter Berücksichtigung der Unsicherheit der Befragung.', en: 'Target met – even allowing for the uncertainty of the survey.' },
  UNCERTAIN: {
    de: 'Nicht sicher zu sagen: der Anteil liegt so nah am Ziel, dass es die Befragung offen lässt.',
    en: 'Cannot be said for sure: the share is so close to the target that the survey leaves it open.',
  },
  NOT_MET: { de: 'Ziel nicht erreicht – auch der günstigste plausible Wert liegt darunter.', en: 'Target not met – even the most favourable plausible value is below it.' },
  UNKNOWN: { de: 'Nicht zu beurteilen: es fehlt der Anteil, sein Intervall oder ein Ziel.', en: 'Cannot be judged: the share, its interval or a target is missing.' },
  countMET: { de: 'Ziel erreicht (vollständige Zählung, keine Befragung).', en: 'Target met (a full count, not a survey).' },
  countNOT_MET: { de: 'Ziel nicht erreicht (vollständige Zählung, keine Befragung).', en: 'Target not met (a full count, not a survey).' },
  shortMET: { de: 'erreicht', en: 'met' },
  shortUNCERTAIN: { de: 'offen', en: 'open' },
  shortNOT_MET: { de: 'nicht erreicht', en: 'not met' },
  shortUNKNOWN: { de: 'nicht beurteilbar', en: 'cannot be judged' },
  gapValue: { de: '{value} Prozentpunkte', en: '{value} percentage points' },
  points: { de: 'Prozentpunkte', en: 'percentage points' },
  increaseTarget: {
    de: 'Ziel: Steigerung (kein fester Wert). Beurteilt wird, ob der Anteil jeder Stadt seit ihrem ersten Meldejahr als Mitglied gestiegen ist.',
    en: 'Target: an increase (no fixed share). Judged by whether each city\'s share rose since its first reported year as a member.',
  },
  increaseSummary: {
    de: 'Gestiegen: {rose} · nicht gestiegen: {notRose} · nicht beurteilbar: {unknown} (von {total} meldenden Städten).',
    en: 'Rose: {rose} · did not rise: {notRose} · cannot be judged: {unknown} (of {total} reporting cities).',
  },
  increaseTitle: { de: 'Mehr Auszubildende? Jede Stadt gegen ihr erstes Meldejahr', en: 'More trainees? Each city against its first reported year' },
  ROSE: { de: 'gestiegen seit {since}: {change} Prozentpunkte ({from} → {to})', en: 'rose since {since}: {change} percentage points ({from} → {to})' },
  DID_NOT_RISE: {
    de: 'nicht gestiegen seit {since}: {change} Prozentpunkte ({from} → {to})',
    en: 'did not rise since {since}: {change} percentage points ({from} → {to})',
  },
  increaseUnknownFirstYear: { de: 'nicht beurteilbar: {year} ist das erste Meldejahr', en: 'cannot be judged: {year} is the first reported year' },
  increaseUnknown: { de: 'nicht beurteilbar: kein Vergleichsjahr oder kein Anteil', en: 'cannot be judged: no year to compare with, or no share' },
  basedOn: { de: 'Beruht auf {cities}: {parts}.', en: 'Based on {cities}: {parts}.' },
  basedOnNothing: { de: 'Keine Stadt hat gemeldet.', en: 'No city has reported.' },
  oneCity: { de: '1 Stadt', en: '1 city' },
  manyCities: { de: '{count} Städten', en: '{count} cities' },
  mixOFFICIAL: { de: '{cities} amtlich', en: '{cities} official' },
  mixSUBMITTED: { de: '{cities} gemeldet', en: '{cities} submitted' },
  mixESTIMATE: { de: '{cities} geschätzt', en: '{cities} estimated' },
  mixRespondents: { de: '{count} Befragte', en: '{count} respondents' },
  mixIntake: { de: '{count} Auszubildende', en: '{count} trainees' },
  mixStaffInScope: { de: '{count} Beschäftigte in der Zielgruppe', en: '{count} staff in scope' },
  reportingCities: { de: '{count} von {total} Städten melden', en: '{count} of {total} cities report' },
  membersTitle: { de: 'Die Städte im Vergleich zu ihrem eigenen Ziel', en: 'Each city against its own target' },
  membersChartLabel: {
    de: 'Balkendiagramm: Anteil der Beschäftigten mit Zuwanderungsgeschichte je Stadt {year}, mit dem 95-%-Intervall als schwarzem Fehlerbalken; rote Markierungen zeigen das Ziel jeder Stadt.',
    en: 'Bar chart: share of staff with a migration history per city in {year}, with the 95 % interval as a black error bar; red markers show each city\'s target.',
  },
  showTable: { de: 'Als Tabelle', en: 'As a table' },
  estimatesAmong: {
    de: '{count} der {total} Werte sind Schätzungen des Demo-Datensatzes (Herkunft: siehe Tabelle).',
    en: '{count} of the {total} values are estimates of the demo data set (provenance: see the table).',
  },
  missingTitle: { de: 'Wer fehlt {year}?', en: 'Who is missing in {year}?' },
  nobodyMissing: { de: 'Alle Mitgliedsstädte haben gemeldet.', en: 'Every member city has reported.' },
  UNAVAILABLE: { de: 'Dienst nicht erreichbar (die Fehlermeldung oben nennt ihn)', en: 'service unavailable (the error above names it)' },
  NOT_RECORDED: { de: 'erhebt keine Zuwanderungsgeschichte', en: 'does not record migration history' },
  NOT_RECORDED_TRAINING: { de: 'erhebt diese Zahl nicht', en: 'does not record this figure' },
  NOT_REPORTED: { de: 'hat für dieses Jahr nichts gemeldet', en: 'has not reported for this year' },
  city: { de: 'Stadt', en: 'City' },
  share: { de: 'Anteil', en: 'Share' },
  headcount: { de: 'Beschäftigte', en: 'Headcount' },
  respondents: { de: 'Befragte', en: 'Respondents' },
  withMigrationHistory: { de: 'mit Zuwanderungsgeschichte', en: 'with a migration history' },
  withForeignNationality: { de: 'ausländische Staatsangehörigkeit', en: 'foreign nationality' },
  traineeShare: { de: 'Anteil Auszubildende', en: 'Trainee share' },
  jobcenterTraining: { de: 'Schulungs\u00ADquote Jobcenter', en: 'Jobcenter training' },
  provenance: { de: 'Herkunft', en: 'Provenance' },
  OFFICIAL: { de: 'amtlich', en: 'official' },
  SUBMITTED: { de: 'gemeldet', en: 'submitted' },
  ESTIMATE: { de: 'Schätzung', en: 'estimate' },
  notRecorded: { de: 'nicht erhoben', en: 'not recorded' },
  notReported: { de: 'keine Meldung', en: 'no figures' },
  noValues: {
    de: 'Keine Werte: die Stadt erhebt diese Zahl nicht oder hat sie für keinen Jahrgang gemeldet.',
    en: 'No figures: the city does not record this figure, or has not reported it for any year.',
  },
  chooseCity: { de: 'Stadt wählen', en: 'Choose a city' },
  cityTitle: { de: '{city}: Entwicklung seit {from}', en: '{city}: trends since {from}' },
  staffTrend: { de: 'Beschäftigte mit Zuwanderungsgeschichte', en: 'Staff with a migration history' },
  traineeTrend: { de: 'Auszubildende mit Zuwanderungsgeschichte', en: 'Trainees with a migration history' },
  trainingTrend: { de: 'Interkulturelle Schulung im Jobcenter', en: 'Intercultural training in the Jobcenter' },
  trendChartLabel: { de: 'Liniendiagramm: {what}, {from} bis {to}.', en: 'Line chart: {what}, {from} to {to}.' },
  trendLabel: { de: 'Trend', en: 'Trend' },
  trendALREADY_MET: { de: 'bereits erreicht', en: 'already met' },
  trendFALLS_BELOW: { de: 'fällt unter das Ziel', en: 'falls below the target' },
  trendREACHES: { de: 'erreicht das Ziel voraussichtlich {year}', en: 'expected to reach the target in {year}' },
  trendNEVER: { de: 'erreicht das Ziel beim jetzigen Tempo nicht', en: 'does not reach the target at the current pace' },
  trendUNKNOWN: { de: 'zu wenige Jahre für einen Trend', en: 'too few years for a trend' },
  trendWhyALREADY_MET: {
    de: 'Der Trend der Meldejahre {years} ({change} Prozentpunkte pro Jahr) liegt auf oder über dem Ziel von {target} und fällt nicht.',
    en: 'The trend of the reported years {years} ({change} percentage points a year) is at or above the target of {target} and not falling.',
  },
  trendWhyFALLS_BELOW: {
    de: 'Der Trend der Meldejahre {years} liegt noch auf oder über dem Ziel von {target}, sinkt aber um {change} Prozentpunkte pro Jahr.',
    en: 'The trend of the reported years {years} is still at or above the target of {target}, but falls by {change} percentage points a year.',
  },
  trendWhyREACHES: {
    de: 'Beim Tempo der Meldejahre {years} ({change} Prozentpunkte pro Jahr) erreicht {city} das Ziel von {target} im Jahr {year}.',
    en: 'At the pace of the reported years {years} ({change} percentage points a year), {city} reaches the target of {target} in {year}.',
  },
  trendWhyNEVER: {
    de: 'Der Trend der Meldejahre {years} ({change} Prozentpunkte pro Jahr) liegt unter dem Ziel von {target} und steigt nicht.',
    en: 'The trend of the reported years {years} ({change} percentage points a year) is below the target of {target} and not rising.',
  },
  trendWhyUNKNOWN: {
    de: 'Ein Trend braucht mindestens zwei Meldejahre mit einem Anteil und ein Ziel.',
    en: 'A trend needs at least two reported years with a share, and a target.',
  },
  latestStatus: { de: '{year}: {share} ({interval}); Ziel {target}{basis}.', en: '{year}: {share} ({interval}); target {target}{basis}.' },
  parityBasisNote: { de: 'Bevölkerungsanteil, Stand {year}', en: 'population share of {year}' },
  targetEstimated: { de: 'selbst eine Schätzung', en: 'itself an estimate' },
  estimateNotice: {
    de: 'Offene Kreise und „Schätzung“ markieren geschätzte Zahlen des Demo-Datensatzes, keine amtlichen Werte.',
    en: 'Hollow circles and "estimate" mark estimated demo figures, not official ones.',
  },
  targetKey: { de: 'Rot gestrichelt: Ziel.', en: 'Dashed red: target.' },
  projectionKey: { de: 'Grau gepunktet: Prognose beim bisherigen Tempo.', en: 'Dotted grey: projection at the current pace.' },
  errorBarKey: {
    de: 'Senkrechte schwarze Striche: 95-%-Intervall des Anteils.',
    en: 'Black vertical lines: the 95 % interval of the share.',
  },
  fullCountKey: { de: 'Vollständige Zählung, keine Befragung: kein Intervall.', en: 'A full count, not a survey: no interval.' },
  aboveTarget: { de: 'über dem Ziel', en: 'above the target' },
  sources: { de: 'Quellen', en: 'Sources' },
  noSources: { de: 'Keine der gezeigten Zahlen nennt eine Quelle.', en: 'None of the figures shown cites a source.' },
  comparisonTitle: { de: 'Alle Städte im Jahr {year}', en: 'All cities in {year}' },
  comparisonCaption: { de: 'Vergleich der Mitgliedsstädte {year}; Spaltenköpfe sortieren die Tabelle.', en: 'Member cities in {year}; column headers sort the table.' },
  sortBy: { de: 'Sortieren nach {column}', en: 'Sort by {column}' },
  exportCsv: { de: 'Als CSV herunterladen', en: 'Download as CSV' },
  signIn: { de: 'Anmelden', en: 'Sign in' },
  signOut: { de: 'Abmelden', en: 'Sign out' },
  signInHelp: {
    de: 'Melden Sie sich mit dem Konto Ihrer Personalabteilung beim Identitätsanbieter an.',
    en: "Sign in with your HR team's account at the identity provider.",
  },
  signInUnavailable: {
    de: 'Dieser Hub hat keinen Identitätsanbieter; Meldungen gehen hier nicht.',
    en: 'This hub has no identity provider; submissions are not possible here.',
  },
  sessionExpired: {
    de: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an; Ihre Eingaben bleiben erhalten.',
    en: 'Your session has expired. Please sign in again; what you entered is kept.',
  },
  hrOfCity: { de: 'Personalabteilung {city}', en: 'HR {city}' },
  signedInAs: { de: 'Angemeldet als {name} ({roles})', en: 'Signed in as {name} ({roles})' },
  notSignedIn: { de: 'Nicht angemeldet', en: 'Not signed in' },
  hrOnly: { de: 'Meldungen sind nur für die Personalabteilung einer Stadt möglich.', en: "Submissions are for a city's HR team only." },
  roleMember: { de: 'Forumsmitglied', en: 'forum member' },
  roleAdmin: { de: 'Administration', en: 'administrator' },
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
  figureKinds: { de: 'Art der Zahlen', en: 'Kind of figures' },
  staffFigures: { de: 'Personal', en: 'Staff' },
  newHires: { de: 'Neueinstellungen', en: 'New hires' },
  trainees: { de: 'Auszubildende', en: 'Trainees' },
  training: { de: 'Interkulturelle Schulung', en: 'Intercultural training' },
  unitBreakdown: { de: 'Aufschlüsselung nach Organisationseinheit', en: 'Breakdown by organisational unit' },
  unitBreakdownHelp: {
    de: 'Freiwillig. Leere Zeilen gehören nicht dazu; zusammen dürfen die Einheiten nicht mehr zählen als insgesamt.',
    en: 'Optional. Empty rows are left out; together the units may not count more than the totals.',
  },
  unit: { de: 'Organisationseinheit', en: 'Organisational unit' },
  unitCount: { de: '{unit}: {count}', en: '{unit}: {count}' },
  unitsBrokenDown: { de: 'Einheiten aufgeschlüsselt', en: 'Units broken down' },
  newHiresForm: { de: 'Neueinstellungen melden', en: 'Submit new hires' },
  newHiresTotal: { de: 'Neueinstellungen ohne Auszubildende', en: 'New hires, trainees not included' },
  traineesForm: { de: 'Auszubildende melden', en: 'Submit trainee intake' },
  traineeIntake: { de: 'Neue Auszubildende', en: 'Trainees who started' },
  ofThemWithMigrationHistory: { de: 'davon mit Zuwanderungsgeschichte', en: 'of them with a migration history' },
  migrationHistoryHelp: { de: 'Leer lassen, wo die Stadt sie nicht erhebt.', en: 'Leave empty where the city does not record it.' },
  trainingForm: { de: 'Interkulturelle Schulung melden', en: 'Submit intercultural training' },
  staffInScope: { de: 'Zielgruppe', en: 'Staff in scope' },
  staffInScopeHelp: { de: 'Beschäftigte der Einheit, die geschult werden sollen.', en: "The unit's staff expected to take the training." },
  trainingCompleted: { de: 'Geschult', en: 'Trained' },
  trainingCompletedHelp: { de: 'Insgesamt geschult bis zum Ende des Berichtsjahres; höchstens die Zielgruppe.', en: 'Trained in total by the end of the reporting year; at most the staff in scope.' },
  historyOf: { de: 'Revisionen {year}: {what}', en: 'Revisions {year}: {what}' },
  noRevisions: { de: 'Für dieses Jahr gibt es noch keine Revision.', en: 'There is no revision for this year yet.' },
  csvImport: { de: 'Tabelle importieren (CSV)', en: 'Import a spreadsheet (CSV)' },
  csvFile: { de: 'CSV-Datei', en: 'CSV file' },
  csvHelp: { de: 'Format und Vorlage: docs/submissions.md. Alle Zeilen oder keine.', en: 'Format and template: docs/submissions.md. All rows or none.' },
  importButton: { de: 'Importieren', en: 'Import' },
  imported: { de: '{rows} Zeilen importiert, {revisions} Revisionen gespeichert.', en: '{rows} rows imported, {revisions} revisions saved.' },
  importRefused: { de: 'Nichts importiert: {count} Problem(e).', en: 'Nothing imported: {count} problem(s).' },
  importProgress: { de: 'Fortschritt des Imports', en: 'Import progress' },
  importChecking: { de: '{done} von {total} Zeilen geprüft …', en: '{done} of {total} rows checked …' },
  importWriting: { de: '{done} von {total} Revisionen geschrieben …', en: '{done} of {total} revisions written …' },
  importFailed: {
    de: 'Der Import wurde abgebrochen; nichts wurde gespeichert. Bitte erneut importieren.',
    en: 'The import was cut off; nothing was saved. Please import again.',
  },
  row: { de: 'Zeile', en: 'Line' },
  column: { de: 'Spalte', en: 'Column' },
  message: { de: 'Meldung', en: 'Message' },
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
