import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { readAuthConfig } from '../../common/auth/auth-config';
import { clientCredentialsToken, scriptClientFor } from './provider-token';
import { loadOrCreateSigningKey } from '../../common/auth/keys';
import { issueLocalToken } from '../../common/auth/user-tokens';
import { findMember, loadRegistry } from '../../common/registry';

const USAGE = `Imports a CSV file of a city's figures through the hub: all rows or none.

  npm run import -- --city duisburg figures.csv

Format and template: docs/submissions.md, docs/templates/import-template.csv.

Options:
  --city ID            the city (required)
  --url URL            the hub's GraphQL endpoint (default: HUB_URL or http://localhost:4000/graphql)
  --token TOKEN        an hr token for the city (default: HUB_TOKEN, else one from the identity provider for the city's HR account)
  --reason TEXT        reason for correction rows that give none
  --idempotency-key K  default: derived from the city and the file, so that importing a file again returns the first report
  --lang de|en         language of the report (default de)`;

const IMPORT = `mutation Import($city: ID!, $csv: String!, $reason: String, $idempotencyKey: String) {
  municipality(id: $city) { importFigures(csv: $csv, reason: $reason, idempotencyKey: $idempotencyKey) {
    accepted rowsRead revisionsWritten replayed problems { row column field code messages { de en } }
  } }
}`;

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
  const response = await fetch(values.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': lang,
      authorization: `Bearer ${await tokenFor(member.id, values.token)}`,
    },
    body: JSON.stringify({ query: IMPORT, variables: { city: member.id, csv, reason: values.reason ?? null, idempotencyKey } }),
  });
  const body = (await response.json()) as { data?: { municipality: { importFigures: Report } | null } | null; errors?: Array<{ message: string }> };
  const report = body.data?.municipality?.importFigures;
  if (!report) {
    for (const error of body.errors ?? [{ message: `HTTP ${response.status}` }]) process.stderr.write(`import: ${error.message}\n`);
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
