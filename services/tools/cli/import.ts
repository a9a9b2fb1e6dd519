import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { readAuthConfig } from '../../common/auth/auth-config';
import { clientCredentialsToken, scriptClientFor } from './provider-token';
import { loadOrCreateSigningKey } from '../../common/auth/keys';
import { issueLocalToken } from '../../common/auth/user-tokens';
import { findMember, loadRegistry } from '../../common/registry';

const USAGE = `Imports a CSV file of a city's figures through the hub: all rows or none. The hub takes the file as a job
and answers at once; the progress bar follows the rows it checked, then the revisions it wrote.

  npm run import -- --city duisburg figures.csv

Format and template: docs/submissions.md, docs/templates/import-template.csv.

Options:
  --city ID            the city (required)
  --url URL            the hub's GraphQL endpoint (default: HUB_URL or http://localhost:4000/graphql)
  --token TOKEN        an hr token for the city (default: HUB_TOKEN, else one from the identity provider for the city's HR account)
  --reason TEXT        reason for correction rows that give none
  --idempotency-key K  default: derived from the city and the file, so that importing a file again returns the first report
  --lang de|en         language of the report (default de)`;

const JOB_FIELDS = `id status rowsTotal rowsChecked revisionsTotal revisionsWritten
  report { accepted rowsRead revisionsWritten replayed problems { row column field code messages { de en } } }`;

const START = `mutation StartImport($city: ID!, $csv: String!, $reason: String, $idempotencyKey: String) {
  municipality(id: $city) { startFigureImport(csv: $csv, reason: $reason, idempotencyKey: $idempotencyKey) { ${JOB_FIELDS} } }
}`;

const FOLLOW = `query FollowImport($city: ID!, $id: ID!) {
  municipality(id: $city) { figureImportJob(id: $id) { ${JOB_FIELDS} } }
}`;

/** How often the job is asked for while it runs. */
const FOLLOW_INTERVAL_MS = 300;

interface Job {
  id: string;
  status: 'CHECKING' | 'WRITING' | 'SUCCEEDED' | 'REFUSED' | 'FAILED';
  rowsTotal: number;
  rowsChecked: number;
  revisionsTotal: number | null;
  revisionsWritten: number;
  report: Report | null;
}

interface Report {
  accepted: boolean;
  rowsRead: number;
  revisionsWritten: number;
  replayed: boolean;
  problems: Array<{ row: number; column: string | null; code: string; messages: { de: string; en: string } }>;
}

/** Reads the file with a progress bar: the part of an import that takes time on the HR team's side. */
async function readWithProgress(file: string): Promise<string> {
  const size = statSync(file).size;
  const bar = new SingleBar({ format: 'Datei lesen / reading file |{bar}| {percentage}% | {value}/{total} bytes', hideCursor: true, clearOnComplete: false }, undefined);
  bar.start(size, 0);
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file)) {
    chunks.push(chunk as Buffer);
    bar.increment((chunk as Buffer).length);
  }
  bar.stop();
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The token of the import: given (--token, HUB_TOKEN); signed with the hub's own key when AUTH_LOCAL_KEY_FILE names
 * it (a gateway without identity provider, as the benchmarks run it); else from the identity provider for the city's
 * HR account (client credentials).
 */
async function tokenFor(city: string, given: string | undefined): Promise<string> {
  if (given) return given;
  if (process.env.AUTH_LOCAL_KEY_FILE === undefined) return (await clientCredentialsToken(scriptClientFor(['hr'], city))).token;
  const auth = readAuthConfig();
  if (!auth.localIssuer || !('file' in auth.users.keys)) {
    throw new Error('give an hr token for the city with --token or HUB_TOKEN (this hub trusts an identity provider)');
  }
  const key = await loadOrCreateSigningKey(auth.users.keys.file);
  return issueLocalToken(key, { subject: `import-cli:${city}`, name: `CSV import (${city})`, roles: ['hr'], city, expiresIn: '10m', audience: auth.users.audience });
}

type Answer<Data> = { data?: Data | null; errors?: Array<{ message: string }> };

/** One GraphQL request to the hub; its errors, if it has no data, end the import with their messages. */
async function ask<Data>(url: string, headers: Record<string, string>, query: string, variables: Record<string, unknown>): Promise<Data> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json().catch(() => ({}))) as Answer<Data>;
  if (!body.data) throw new Error((body.errors ?? [{ message: `HTTP ${response.status}` }]).map((error) => error.message).join('\n'));
  return body.data;
}

/**
 * Follows the job on the hub until it ends, with a progress bar of the rows checked and then the revisions written
 * (the server's progress, noted every few hundred rows).
 */
async function followJob(url: string, headers: Record<string, string>, city: string, started: Job, lang: 'de' | 'en'): Promise<Job> {
  const bar = new SingleBar({ format: 'Import: {phase} |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: false }, undefined);
  const checking = lang === 'de' ? 'Zeilen geprüft' : 'rows checked';
  const writing = lang === 'de' ? 'Revisionen geschrieben' : 'revisions written';
  const show = (job: Job) => {
    if (job.status === 'CHECKING') {
      bar.setTotal(job.rowsTotal);
      bar.update(job.rowsChecked, { phase: checking });
    } else {
      bar.setTotal(job.revisionsTotal ?? job.revisionsWritten);
      bar.update(job.revisionsWritten, { phase: writing });
    }
  };
  bar.start(started.rowsTotal, 0, { phase: checking });
  let job = started;
  try {
    while (job.status === 'CHECKING' || job.status === 'WRITING') {
      show(job);
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
      const data = await ask<{ municipality: { figureImportJob: Job | null } | null }>(url, headers, FOLLOW, { city, id: job.id });
      const next = data.municipality?.figureImportJob;
      if (!next) throw new Error(lang === 'de' ? `Importauftrag ${job.id} nicht gefunden` : `import job ${job.id} not found`);
      job = next;
    }
    if (job.status !== 'REFUSED') show(job);
  } finally {
    bar.stop();
  }
  return job;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      city: { type: 'string' },
      url: { type: 'string', default: process.env.HUB_URL ?? 'http://localhost:4000/graphql' },
      token: { type: 'string', default: process.env.HUB_TOKEN },
      reason: { type: 'string' },
      'idempotency-key': { type: 'string' },
      lang: { type: 'string', default: 'de' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [file] = positionals;
  if (!values.city || !file) {
    process.stderr.write(`import: name the city and the file\n\n${USAGE}\n`);
    return 2;
  }
  const member = findMember(loadRegistry(), values.city);
  const lang = values.lang === 'en' ? 'en' : 'de';
  const csv = await readWithProgress(file);
  const idempotencyKey = values['idempotency-key'] ?? `import-${createHash('sha256').update(`${member.id}\n${csv}`).digest('hex').slice(0, 40)}`;

  process.stdout.write(lang === 'de' ? `Sende an ${values.url} ...\n` : `Sending to ${values.url} ...\n`);
  const headers = { 'accept-language': lang, authorization: `Bearer ${await tokenFor(member.id, values.token)}` };
  let job: Job;
  try {
    const started = await ask<{ municipality: { startFigureImport: Job } | null }>(values.url, headers, START, {
      city: member.id,
      csv,
      reason: values.reason ?? null,
      idempotencyKey,
    });
    job = await followJob(values.url, headers, member.id, started.municipality!.startFigureImport, lang);
  } catch (error) {
    for (const line of (error as Error).message.split('\n')) process.stderr.write(`import: ${line}\n`);
    return 1;
  }
  const report = job.report;
  if (!report) {
    process.stderr.write(
      lang === 'de'
        ? `import: der Import wurde abgebrochen (${job.status}); nichts wurde geschrieben. Mit derselben Datei erneut starten.\n`
        : `import: the import was cut off (${job.status}); nothing was written. Start it again with the same file.\n`,
    );
    return 1;
  }
  const replayed = report.replayed ? (lang === 'de' ? ' (schon importiert: erster Bericht)' : ' (imported before: first report)') : '';
  if (report.accepted) {
    process.stdout.write(
      lang === 'de'
        ? `Importiert: ${report.rowsRead} Zeilen, ${report.revisionsWritten} Revisionen für ${member.name}${replayed}.\n`
        : `Imported: ${report.rowsRead} rows, ${report.revisionsWritten} revisions for ${member.name}${replayed}.\n`,
    );
    return 0;
  }
  process.stdout.write(
    lang === 'de'
      ? `Nichts importiert: ${report.problems.length} Problem(e) in ${report.rowsRead} Zeilen.\n`
      : `Nothing imported: ${report.problems.length} problem(s) in ${report.rowsRead} rows.\n`,
  );
  for (const problem of report.problems) {
    const where = lang === 'de' ? `Zeile ${problem.row}${problem.column ? `, Spalte "${problem.column}"` : ''}` : `line ${problem.row}${problem.column ? `, column "${problem.column}"` : ''}`;
    process.stdout.write(`  ${where}: ${problem.messages[lang]}\n`);
  }
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`import: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
