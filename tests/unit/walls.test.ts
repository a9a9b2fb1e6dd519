/**
 * Walls of the layout (docs/architecture.md, "Layout"): the plain rules in services/domain depend on nothing but each
 * other, so that they can be read and tested without GraphQL, an ORM, the registry's files or a running service; the
 * gateway shares code with the services through services/common only; no production code reads tests/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

/** The TypeScript sources under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [full] : [];
  });
}

/** Where a relative import of `file` points, from the project root; undefined for a package. */
function target(file: string, specifier: string): string | undefined {
  return specifier.startsWith('.') ? path.relative(fromProjectRoot(), path.resolve(path.dirname(file), specifier)) : undefined;
}

describe('production code', () => {
  const files = [...sources(fromProjectRoot('gateway')), ...sources(fromProjectRoot('services'))];

  it('imports nothing from tests/', () => {
    const offending = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8')).filter((specifier) => target(file, specifier)?.split(path.sep)[0] === 'tests').map((specifier) => `${file}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('of the gateway takes from services/ only what services/common offers', () => {
    const offending = sources(fromProjectRoot('gateway')).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((specifier) => {
          const [top, folder] = target(file, specifier)?.split(path.sep) ?? [];
          return top === 'services' && folder !== 'common';
        })
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
