import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromProjectRoot } from '../services/common/project-root';
import { loadRegistry, registryPath } from '../services/common/registry';
import { composeFederation } from './composition';

/**
 * `npm run compose`: writes each subgraph's SDL to schema/subgraphs/ and the supergraph to
 * schema/supergraph.graphql. `--check` writes nothing and fails when the checked-in files are stale.
 */

/** Hints that are the federation pattern working as designed (see docs/architecture.md), not problems. */
const EXPECTED_HINT_CODES = new Set(['INCONSISTENT_INTERFACE_VALUE_TYPE_FIELD']);

function main(): number {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      out: { type: 'string', default: fromProjectRoot('schema') },
      members: { type: 'string', default: registryPath() },
    },
  });
  const registry = loadRegistry(values.members);
  const composition = composeFederation(registry);
  const outDir = values.out;
  const files = new Map<string, string>([[path.join(outDir, 'supergraph.graphql'), composition.supergraph]]);
  for (const [name, sdl] of composition.subgraphs) files.set(path.join(outDir, 'subgraphs', `${name}.graphql`), sdl);
  const subgraphDir = path.join(outDir, 'subgraphs');
  const strays = existsSync(subgraphDir)
    ? readdirSync(subgraphDir)
        .map((file) => path.join(subgraphDir, file))
        .filter((file) => file.endsWith('.graphql') && !files.has(file))
    : [];

  if (values.check) {
    const stale = [...files].filter(([file, content]) => !existsSync(file) || readFileSync(file, 'utf8') !== content);
    for (const [file] of stale) process.stderr.write(`stale: ${path.relative(process.cwd(), file)}\n`);
    for (const file of strays) process.stderr.write(`not in the registry: ${path.relative(process.cwd(), file)}\n`);
    if (stale.length + strays.length > 0) {
      process.stderr.write('The checked-in schema is out of date: run `npm run compose` and commit the result.\n');
      return 1;
    }
    process.stdout.write(`schema is up to date (${composition.subgraphs.size} subgraphs)\n`);
    return 0;
  }

  mkdirSync(subgraphDir, { recursive: true });
  for (const [file, content] of files) writeFileSync(file, content);
  for (const file of strays) rmSync(file);
  const unexpected = composition.hints.filter((hint) => !EXPECTED_HINT_CODES.has(hint.code));
  for (const hint of unexpected) process.stderr.write(`hint ${hint.code}: ${hint.message}\n`);
  process.stdout.write(
    `composed ${composition.subgraphs.size} subgraphs (forum + ${registry.members.length} cities) into ${path.relative(process.cwd(), path.join(outDir, 'supergraph.graphql'))}` +
      `${composition.hints.length > unexpected.length ? `; ${composition.hints.length - unexpected.length} expected hints about the per-city interface fields` : ''}\n`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`compose: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
