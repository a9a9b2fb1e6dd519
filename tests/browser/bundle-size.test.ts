/**
 * What a browser downloads for the dashboard's first page: the scripts the page loads at once, gzipped as the
 * gateway sends them. A budget, not a timing: it holds or not whatever the machine. (Load times: npm run bench.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST } from '../support/processes';

const DASHBOARD = path.join(DIST, 'dashboard');
const BUDGET_BYTES = 300 * 1024;

function scriptsOf(html: string): string[] {
  const sources = [...html.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)];
  return sources.map((match) => match[1]!);
}

it(`sends at most ${BUDGET_BYTES / 1024} KB of JavaScript (gzipped) for the dashboard`, () => {
  const scripts = scriptsOf(readFileSync(path.join(DASHBOARD, 'index.html'), 'utf8'));
  expect(scripts.length).toBeGreaterThan(0);
  const bytes = scripts.reduce((sum, script) => sum + gzipSync(readFileSync(path.join(DASHBOARD, script))).length, 0);
  expect(bytes).toBeLessThan(BUDGET_BYTES);
});

it('loads the workbench on its own page, not with the dashboard', () => {
  const dashboard = scriptsOf(readFileSync(path.join(DASHBOARD, 'index.html'), 'utf8'));
  const workbench = scriptsOf(readFileSync(path.join(DASHBOARD, 'graphiql.html'), 'utf8'));
  expect(dashboard.filter((script) => /graphiql|monaco/i.test(script))).toEqual([]);
  expect(workbench.some((script) => /graphiql/i.test(script))).toBe(true);
});
