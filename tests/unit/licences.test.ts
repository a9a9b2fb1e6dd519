import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../services/common/project-root';

/**
 * The hub is EUPL-1.2; docs/dependencies.md must name every installed package whose licence is not
 * OSI-approved, so that nobody adds one unnoticed.
 */
const ROOT = projectRoot();
const OSI_APPROVED = new Set(['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0', 'Python-2.0', 'Unlicense', 'MPL-2.0']);

function licenceOf(manifest: { license?: unknown; licenses?: unknown }): string {
  const declared = manifest.license ?? manifest.licenses;
  if (typeof declared === 'string') return declared;
  if (Array.isArray(declared)) return declared.map((entry) => (entry as { type?: string }).type ?? String(entry)).join(' OR ');
  return String((declared as { type?: string } | undefined)?.type ?? 'UNKNOWN');
}

/** An SPDX expression is acceptable when every alternative of an OR, or every part of an AND, allows it. */
function osiApproved(expression: string): boolean {
  const clean = expression.replace(/[()]/g, '').trim();
  if (clean.includes(' OR ')) return clean.split(' OR ').some((part) => osiApproved(part));
  if (clean.includes(' AND ')) return clean.split(' AND ').every((part) => osiApproved(part));
  return OSI_APPROVED.has(clean);
}

function installedPackages(directory: string, found = new Map<string, string>()): Map<string, string> {
  if (!existsSync(directory)) return found;
  for (const entry of readdirSync(directory)) {
    if (entry.startsWith('.')) continue;
    const packages = entry.startsWith('@') ? readdirSync(path.join(directory, entry)).map((name) => path.join(entry, name)) : [entry];
    for (const name of packages) {
      const manifestFile = path.join(directory, name, 'package.json');
      if (existsSync(manifestFile)) {
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
        if (manifest.name) found.set(manifest.name, licenceOf(manifest));
      }
      installedPackages(path.join(directory, name, 'node_modules'), found);
    }
  }
  return found;
}

it('lists every dependency that is not OSI-licensed in docs/dependencies.md', () => {
  const documented = readFileSync(path.join(ROOT, 'docs', 'dependencies.md'), 'utf8');
  const packages = installedPackages(path.join(ROOT, 'node_modules'));
  expect(packages.get('@apollo/gateway')).toBe('Elastic-2.0');
  const undocumented = [...packages]
    .filter(([, licence]) => !osiApproved(licence))
    .filter(([name]) => !documented.includes(`\`${name}\``))
    .map(([name, licence]) => `${name} (${licence})`);
  expect(undocumented).toEqual([]);
});
