/**
 * The dashboard carries the contract's operations in the product (gateway/dashboard/src/operations/), so that no
 * production code reads tests/. They must stay the operations the contract tests run (tests/contract/): the same
 * files, the same documents once printed by graphql-js.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse, print } from 'graphql';
import { fromProjectRoot } from '../../services/common/project-root';

const CONTRACT = fromProjectRoot('tests', 'contract');
const PRODUCT = fromProjectRoot('gateway', 'dashboard', 'src', 'operations');

const operations = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.graphql')).sort();
const printed = (dir: string, file: string) => print(parse(readFileSync(`${dir}/${file}`, 'utf8')));

it("holds exactly the contract's operations", () => {
  expect(operations(CONTRACT).length).toBeGreaterThanOrEqual(4);
  expect(operations(PRODUCT)).toEqual(operations(CONTRACT));
});

it.each(operations(CONTRACT))('%s is the same operation as the contract\'s', (file) => {
  expect(printed(PRODUCT, file)).toBe(printed(CONTRACT, file));
});
