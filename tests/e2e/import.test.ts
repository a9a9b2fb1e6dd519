/**
 * CSV import of a city's figures, through the gateway and through the CLI: all rows or none, a report naming
 * every refused row, German and English spreadsheets, retries.
 * Schema under test: schema/supergraph.graphql; Duisburg given 50 organisational units in a copy of the
 * registry, so that one file can hold over 1,000 distinct rows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TestFederation } from '../support/federation';
import { BIG_FILE_YEARS, CURRENT_YEAR, IMPORT_HEADER, IMPORT_UNITS, bigImportFile, figureCounts } from '../support/import-files';
import { ROOT, distScript } from '../support/processes';


let workdir: string;
let federation: TestFederation;
let hr: string;

beforeAll(async () => {
  workdir = mkdtempSync(path.join(tmpdir(), 'ifh-import-'));
  const registry = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'members.json'), 'utf8'));
  registry.members.find((member: { id: string }) => member.id === 'duisburg').units = IMPORT_UNITS;
  const membersFile = path.join(workdir, 'members.json');
  writeFileSync(membersFile, JSON.stringify(registry));
  federation = await TestFederation.start({ membersFile });
  hr = federation.token({ sub: 'hr-duisburg', name: 'Petra Personal', roles: ['hr'], city: 'duisburg' });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

const IMPORT = `mutation ($csv: String!, $reason: String, $key: String) {
  duisburg: municipality(id: "duisburg") { importFigures(csv: $csv, reason: $reason, idempotencyKey: $key) {
    accepted rowsRead revisionsWritten replayed problems { row column field code messages { de en } }
  } }
}`;

async function importCsv(csv: string, options: { token?: string; reason?: string; key?: string } = {}) {
  const response = await federation.query(IMPORT, { csv, reason: options.reason ?? null, key: options.key ?? null }, { token: options.token ?? hr });
  return { response, report: response.body.data?.duisburg?.importFigures };
}

it('imports the documented template', async () => {
  const template = readFileSync(path.join(ROOT, 'docs', 'templates', 'import-template.csv'), 'utf8');
  const { report } = await importCsv(template);
  expect(report).toMatchObject({ accepted: true, rowsRead: 7, revisionsWritten: 5, problems: [] });
});

it('writes nothing from a file of over 1,000 rows with one bad row, and names that row', async () => {
  const { csv, badRow } = bigImportFile(600);
  expect(csv.trim().split('\n').length - 1).toBeGreaterThan(1000);
  const before = await figureCounts(federation.database);
  const { report } = await importCsv(csv);
  expect(report.accepted).toBe(false);
  expect(report.revisionsWritten).toBe(0);
  expect(report.problems).toEqual([
    expect.objectContaining({ row: badRow, column: 'geschult', field: 'completed', code: 'BAD_USER_INPUT' }),
  ]);
  expect(report.problems[0].messages.de).toBe('geschult (140) darf nicht größer sein als Zielgruppe (100).');
  expect(await figureCounts(federation.database)).toEqual(before);
});

it('writes all of it once the file is right', async () => {
  const before = await figureCounts(federation.database);
  const { report } = await importCsv(bigImportFile().csv);
  expect(report).toMatchObject({ accepted: true, problems: [] });
  const after = await figureCounts(federation.database);
  const years = BIG_FILE_YEARS.length;
  expect(after.staff_figures - before.staff_figures).toBe(years);
  expect(after.training_figures - before.training_figures).toBe(years * IMPORT_UNITS.length);
  expect(after.staff_unit_figures - before.staff_unit_figures).toBe(years * 12);
  expect(report.revisionsWritten).toBe(years + years * IMPORT_UNITS.length);
});

it('reports corrections of revisions that are no longer the latest as CONFLICT, and writes none of the file', async () => {
  const before = await figureCounts(federation.database);
  const { report } = await importCsv(`${IMPORT_HEADER}\nPersonal;2015;;9.100;5.000;1.000;;;1;zu spät\nSchulung;2015;jobcenter;;;;100;50;2;Korrektur\n`);
  expect(report.accepted).toBe(false);
  expect(report.problems).toEqual([expect.objectContaining({ row: 2, field: 'correctsRevision', code: 'CONFLICT' })]);
  expect(await figureCounts(federation.database)).toEqual(before);
});

it('reads an English file with decimal points, and lists every problem of a German one', async () => {
  const english = `kind,year,unit,count,withMigrationHistory,reason,correctsRevision\nnew-hires,${CURRENT_YEAR},,1500.0,400,,\n`;
  expect((await importCsv(english)).report).toMatchObject({ accepted: true, revisionsWritten: 1 });

  const german = `${IMPORT_HEADER}\nPersonal;2026;;1.000,5;;;;;;\nPersonal Einheit;2026;mars;3;;;;;;\nQuatsch;2026;;;;;;;;\n`;
  const { report } = await importCsv(german);
  expect(report.problems.map((problem: { row: number; field: string }) => [problem.row, problem.field])).toEqual([
    [2, 'headcount'],
    [3, 'kind'],
    [4, 'kind'],
  ]);
});

it('returns the first report for a retried import and writes it once', async () => {
  const csv = `${IMPORT_HEADER}\nSchulung;2026;jobcenter;;;;120;30;1;Nachtrag\n`;
  const first = await importCsv(csv, { key: 'import-2026-nachtrag' });
  const before = await figureCounts(federation.database);
  const retry = await importCsv(csv, { key: 'import-2026-nachtrag' });
  expect(first.report).toMatchObject({ accepted: true, replayed: false });
  expect(retry.report).toMatchObject({ accepted: true, replayed: true, revisionsWritten: 1 });
  expect(await figureCounts(federation.database)).toEqual(before);
});

it('lets nobody but the city\'s HR team import', async () => {
  const { response } = await importCsv(`${IMPORT_HEADER}\n`, { token: federation.token({ roles: ['hr'], city: 'bochum' }) });
  expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('imports through the CLI, which reports in German', async () => {
  const file = path.join(workdir, 'azubis.csv');
  writeFileSync(file, 'Art;Jahr;Anzahl;mit Zuwanderungsgeschichte\nAuszubildende;2026;149;51\n');
  const { stdout } = await promisify(execFile)(process.execPath, [distScript('services', 'tools', 'cli', 'import.js'), '--city', 'duisburg', '--url', federation.gatewayUrl, '--token', hr, file], {
    env: { ...process.env, MEMBERS_FILE: path.join(workdir, 'members.json') },
  });
  expect(stdout).toContain('Importiert: 1 Zeilen, 1 Revisionen für Duisburg.');

  writeFileSync(file, 'Art;Jahr;Anzahl;mit Zuwanderungsgeschichte\nAuszubildende;2026;149;151\n');
  const refused = await promisify(execFile)(process.execPath, [distScript('services', 'tools', 'cli', 'import.js'), '--city', 'duisburg', '--url', federation.gatewayUrl, '--token', hr, file], {
    env: { ...process.env, MEMBERS_FILE: path.join(workdir, 'members.json') },
  }).catch((error: { code: number; stdout: string }) => error);
  expect((refused as { code: number }).code).toBe(1);
  expect((refused as { stdout: string }).stdout).toContain('Zeile 2, Spalte "mit Zuwanderungsgeschichte": mit Zuwanderungsgeschichte (151) darf nicht größer sein als Auszubildende (149).');
});
