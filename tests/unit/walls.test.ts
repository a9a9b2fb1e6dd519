/**
 * Walls of the layout (docs/architecture.md, "Layout"): the plain rules in services/domain depend on nothing but each
 * other, so that they can be read and tested without GraphQL, an ORM, the registry's files or a running service.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fromProjectRoot } from '../../services/common/project-root';

/** Packages the rules may use: the linear-programming solver of the confidentiality audit (suppression.ts). */
const PACKAGES_THE_RULES_MAY_USE = new Set(['highs']);

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3]!,
  );
}

describe('services/domain', () => {
  const dir = fromProjectRoot('services', 'domain');
  const files = readdirSync(dir).filter((file) => file.endsWith('.ts'));

  it('holds the rules', () => {
    expect(files).toEqual(expect.arrayContaining(['shares.ts', 'targets.ts', 'progress.ts', 'members.ts']));
  });

  it.each(files)('%s imports only from services/domain and the solver', (file) => {
    const outside = importsOf(readFileSync(`${dir}/${file}`, 'utf8')).filter(
      (specifier) => !(specifier.startsWith('./') && !specifier.slice(2).includes('/')) && !PACKAGES_THE_RULES_MAY_USE.has(specifier),
    );
    expect(outside).toEqual([]);
  });
});
