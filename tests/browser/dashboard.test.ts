/// <reference lib="dom" />
/**
 * The dashboard and the workbench in a real browser (Debian's Chromium, driven by playwright-core), against the
 * real federation: gateway serving the built dashboard, subgraphs, PostgreSQL. Screenshots of every page are saved
 * to tests/artifacts/screenshots. Schema under test: schema/supergraph.graphql.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { TestFederation, contractOperation } from '../support/federation';

let federation: TestFederation;
let browser: Browser;
let page: Page;
let hrToken: string;
let origin: string;

beforeAll(async () => {
  federation = await TestFederation.start();
  origin = new URL(federation.gatewayUrl).origin;
  hrToken = federation.token({ sub: 'hr-duisburg', name: 'Petra Personal', roles: ['hr'], city: 'duisburg' });
  browser = await launchBrowser();
}, 120_000);

beforeEach(async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
});

afterEach(async () => {
  await page?.context().close();
});

afterAll(async () => {
  await browser?.close();
  await federation?.stop();
});

async function open(path: string): Promise<void> {
  await page.goto(`${origin}${path}`);
  await page.waitForLoadState('networkidle');
}

async function signIn(token: string): Promise<void> {
  await open('/meldungen');
  await page.getByLabel('Zugangstoken').fill(token);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByTestId('signed-in').waitFor();
}

describe('overview', () => {
  it('shows the 8 members and the same pooled share as the API', async () => {
    await open('/');
    await page.getByRole('heading', { name: 'Das Forum im Jahr 2024' }).waitFor();
    const api = await federation.query(contractOperation('forum-progress'), { year: 2024 });
    const pooled = page.getByTestId('pooled-staff-share');
    await pooled.waitFor();
    expect(Number(await pooled.getAttribute('data-value'))).toBe(api.body.data!.forum.staffProgress.pooledShare);
    expect((await pooled.textContent())?.replace(/\s/g, ' ')).toBe('21,4 %');
    expect(await page.getByTestId('members-table').locator('tbody tr').count()).toBe(8);
    expect(await page.getByRole('img', { name: /Balkendiagramm/ }).count()).toBe(1);
    expect(await page.getByTestId('missing-list').textContent()).toContain('Herne: erhebt keine Zuwanderungsgeschichte');
    await screenshot(page, 'overview');
  });

  it('follows the year picker', async () => {
    await open('/');
    await page.getByLabel('Jahr').selectOption('2012');
    await page.getByRole('heading', { name: 'Das Forum im Jahr 2012' }).waitFor();
    const api = await federation.query(contractOperation('forum-progress'), { year: 2012 });
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid="pooled-staff-share"]')?.getAttribute('data-value') === String(expected),
      api.body.data!.forum.staffProgress.pooledShare,
    );
    expect(page.url()).toContain('jahr=2012');
  });

  it('speaks English on request, and remembers it', async () => {
    await open('/');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'The forum in 2024' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await open('/vergleich');
    await page.getByRole('heading', { name: 'All cities in 2024' }).waitFor();
  });
});

describe('city page', () => {
  it('shows the trends, the projection and the provenance of every figure', async () => {
    await open('/staedte/duisburg');
    const api = await federation.query(contractOperation('city-trend'), { id: 'duisburg', from: 2010, to: 2024 });
    const projection = page.getByTestId('projection');
    await projection.waitFor();
    expect(await projection.textContent()).toContain(`im Jahr ${api.body.data!.municipality.staffProjection.reachesTargetIn}`);
    expect(await page.getByRole('img', { name: /Liniendiagramm/ }).count()).toBe(3);
    expect(await page.locator('.provenance-summary').first().textContent()).toContain('Schätzung 2010–2024');
    await screenshot(page, 'city-duisburg');
  });

  it('links published figures to their sources', async () => {
    await open('/staedte/muelheim');
    await page.getByRole('heading', { name: 'Quellen' }).waitFor();
    const trainees = page.locator('.provenance-summary').nth(1);
    expect(await trainees.textContent()).toContain('amtlich 2017, 2019, 2021');
    const link = trainees.locator('a.source-link').first();
    const target = (await link.getAttribute('href'))!;
    expect(await page.locator(target).textContent()).toBe('WAZ, article 232358759');
    await screenshot(page, 'city-muelheim');
  });
});

describe('comparison table', () => {
  it('sorts by a column, by mouse and by keyboard', async () => {
    await open('/vergleich');
    const firstCity = () => page.locator('table.data-table tbody tr th').first().textContent();
    await page.getByRole('button', { name: /Sortieren nach Beschäftigte/ }).click();
    expect(await firstCity()).toBe('Mülheim an der Ruhr');
    await page.getByRole('button', { name: /Sortieren nach Beschäftigte/ }).focus();
    await page.keyboard.press('Enter');
    expect(await firstCity()).toBe('Dortmund');
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Beschäftigte');
  });

  it('exports exactly what it shows as CSV', async () => {
    await open('/vergleich');
    await page.getByRole('button', { name: /Sortieren nach Abstand/ }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Als CSV herunterladen' }).click()]);
    const exported: string[][] = parse(readFileSync((await download.path())!, 'utf8'), { delimiter: ';', bom: true });
    const shown = await page.locator('table.data-table').evaluate((table) =>
      [...table.querySelectorAll('tr')].map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').replace(/[▲▼]/g, '').trim())),
    );
    expect(exported).toEqual(shown);
    expect(exported).toHaveLength(9);
    expect(download.suggestedFilename()).toBe('staedtevergleich-2024.csv');
    await screenshot(page, 'comparison');
  });
});

describe('submissions', () => {
  it('lets an HR user correct a year, and the dashboard shows the correction', async () => {
    await signIn(hrToken);
    await page.getByLabel('Jahr').selectOption('2024');
    await page.getByText('Korrigiert Revision 1').waitFor();
    await page.getByLabel('Beschäftigte', { exact: true }).fill('9600');
    await page.getByLabel('Begründung').fill('Nachmeldung der Eigenbetriebe');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByTestId('submit-status').getByText('Gespeichert als Revision 2.').waitFor();
    await page.getByTestId('revision-history').getByText('Nachmeldung der Eigenbetriebe').waitFor();
    expect(await page.getByTestId('revision-history').locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'submissions');

    await open('/vergleich');
    const duisburg = page.locator('table.data-table tbody tr', { hasText: 'Duisburg' });
    expect(await duisburg.locator('td').first().textContent()).toBe('9.600');
  });

  it("shows the server's message at the refused field", async () => {
    await signIn(hrToken);
    await page.getByLabel('Jahr').selectOption('2023');
    await page.getByText('Korrigiert Revision 1').waitFor();
    await page.getByLabel('Befragte').fill('999999');
    await page.getByLabel('Begründung').fill('Tippfehler');
    await page.getByRole('button', { name: 'Speichern' }).click();
    const field = page.getByLabel('Befragte');
    await page.waitForFunction(() => document.querySelector('#staff-respondents')?.getAttribute('aria-invalid') === 'true');
    const message = await page.locator(`#${await field.getAttribute('aria-describedby')}`).textContent();
    expect(message).toMatch(/^Befragte \(999999\) darf nicht größer sein als Beschäftigte \(\d+\)\.$/);
    expect(await page.getByTestId('submit-status').textContent()).toBe('Nicht gespeichert: bitte die markierten Angaben prüfen.');
    await screenshot(page, 'submission-refused');
  });

  it('imports a CSV file and lists every refused row', async () => {
    await signIn(hrToken);
    await page.getByLabel('CSV-Datei').setInputFiles({
      name: 'zahlen.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Art;Jahr;Organisationseinheit;Zielgruppe;geschult\nSchulung;2025;jobcenter;100;20\nSchulung;2025;mars;10;5\n'),
    });
    await page.getByRole('button', { name: 'Importieren' }).click();
    await page.getByTestId('import-report').getByText('Nichts importiert: 1 Problem(e).').waitFor();
    expect(await page.locator('.csv-import table tbody tr').first().textContent()).toContain('3Organisationseinheit');
  });
});

describe('accessibility (BITV 2.0 / WCAG 2.1 AA, axe-core)', () => {
  it.each(['/', '/staedte/duisburg', '/vergleich', '/meldungen'])('finds no serious or critical violation on %s', async (path) => {
    await open(path);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('finds none on the submission page of a signed-in HR user, with the chart tables open', async () => {
    await signIn(hrToken);
    await page.getByLabel('Jahr').selectOption('2022');
    await page.getByText('Korrigiert Revision').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await open('/');
    await page.getByText('Als Tabelle').click();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('is usable by keyboard: a skip link, then the navigation', async () => {
    await open('/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Vergleich');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Alle Städte im Jahr 2024' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });
});

describe('analysts\' workbench', () => {
  it('serves GraphiQL from the gateway itself, with the contract operations and the signed-in token', async () => {
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) foreign.push(request.url());
    });
    await signIn(hrToken);
    const sent: Array<string | undefined> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) sent.push(request.headers().authorization);
    });
    await open('/graphiql');
    await page.getByText('CityComparison', { exact: true }).waitFor();
    await page.getByText('CityTrend', { exact: true }).click();
    await page.locator('.graphiql-query-editor').getByText('query CityTrend').waitFor();
    // GraphiQL takes the operation name from the editor when it has parsed the new tab's query, a moment after the
    // switch; a run before that names the previous tab's operation. Run again until GraphiQL has caught up.
    let body: { data?: { municipality: { staffProjection: { reachesTargetIn: number } } }; errors?: Array<{ message: string }> } = {};
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const [response] = await Promise.all([
        page.waitForResponse((candidate) => candidate.url().endsWith('/graphql') && (candidate.request().postData() ?? '').includes('query CityTrend')),
        page.locator('.graphiql-execute-button').click(),
      ]);
      body = (await response.json()) as typeof body;
      if (!body.errors?.some((error) => error.message.startsWith('Unknown operation named'))) break;
    }
    expect(body.errors).toBeUndefined();
    expect(body.data!.municipality.staffProjection.reachesTargetIn).toBe(2041);
    expect(sent.at(-1)).toBe(`Bearer ${hrToken}`);
    expect(foreign).toEqual([]);
    await screenshot(page, 'graphiql');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
