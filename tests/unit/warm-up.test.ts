/**
 * The gateway warms the query plans of what the dashboard sends (gateway/warm-up.ts), listed in the built
 * dashboard's operations.json (gateway/dashboard/vite.config.mts reads them from queries.ts and src/operations/, the contract's copies).
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as dashboardQueries from '../../gateway/dashboard/src/queries';
import { exampleVariables } from '../../gateway/warm-up';
import { fromProjectRoot } from '../../services/common/project-root';
import { loadRegistry } from '../../services/common/registry';

const manifest = JSON.parse(readFileSync(fromProjectRoot('dist', 'dashboard', 'operations.json'), 'utf8')) as { queries: string[] };
const registry = loadRegistry();

it("lists every query the dashboard's pages send, and every contract operation, as written", () => {
  const own = Object.values(dashboardQueries as Record<string, unknown>).filter((value): value is string => typeof value === 'string' && value.startsWith('query'));
  const contract = readdirSync(fromProjectRoot('tests', 'contract'))
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => readFileSync(fromProjectRoot('tests', 'contract', file), 'utf8'));
  expect(own.length).toBeGreaterThanOrEqual(4);
  expect(new Set(manifest.queries)).toEqual(new Set([...own, ...contract]));
});

it('has example variables for every one of them', () => {
  for (const query of manifest.queries) expect({ query, variables: exampleVariables(query, registry) }).toEqual({ query, variables: expect.any(Object) });
  expect(exampleVariables('query ($id: ID!, $year: Int!, $unit: String) { x }', registry)).toEqual({ id: registry.members[0]!.id, year: new Date().getUTCFullYear() - 1 });
  expect(exampleVariables('query ($input: StaffFiguresInput!) { x }', registry)).toBeUndefined();
  // The year the dashboard opens on, once the gateway has asked for it.
  expect(exampleVariables('query ($year: Int!) { x }', registry, 2024)).toEqual({ year: 2024 });
});
