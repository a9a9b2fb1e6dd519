import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../services/common/project-root';
import { loadRegistry, registryPath } from '../services/common/registry';
import { generatedFiles, staleFiles, writeGeneratedFiles } from './generated-files';

/**
 * `npm run compose`: from the member registry and the subgraph code, writes each subgraph's SDL
 * (schema/subgraphs/), the supergraph (schema/supergraph.graphql), docker-compose.yml and Apollo Router's
 * configuration (schema/router.yaml).
 * `--check` writes nothing and fails when the checked-in files are stale.
 */

/** Hints that are the federation pattern working as designed (see docs/architecture.md), not problems: none now. */
const EXPECTED_HINT_CODES = new Set<string>();

export function compose(argv: string[] = process.argv.slice(2)): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: 'boolean', default: false },
      root: { type: 'string', default: projectRoot() },
      members: { type: 'string', default: registryPath() },
    },
  });
  const registry = loadRegistry(values.members);
  const generated = generatedFiles(registry, values.root);
  const relative = (file: string) => path.relative(process.cwd(), file) || file;

  if (values.check) {
    const stale = staleFiles(generated);
    for (const file of stale) process.stderr.write(`stale: ${relative(file)}\n`);
    if (stale.length > 0) {
      process.stderr.write('Generated files are out of date: run `npm run compose` and commit the result.\n');
      return 1;
    }
    process.stdout.write(`generated files are up to date (${generated.composition.subgraphs.size} subgraphs)\n`);
    return 0;
  }

  writeGeneratedFiles(generated);
  const hints = generated.composition.hints;
  const unexpected = hints.filter((hint) => !EXPECTED_HINT_CODES.has(hint.code));
  for (const hint of unexpected) process.stderr.write(`hint ${hint.code}: ${hint.message}\n`);
  process.stdout.write(
    `composed ${generated.composition.subgraphs.size} subgraphs (forum, city; ${registry.members.length} members routed by id): ` +
      `${relative(path.join(values.root, 'schema', 'supergraph.graphql'))}, ${relative(path.join(values.root, 'docker-compose.yml'))}, ` +
      `${relative(path.join(values.root, 'schema', 'router.yaml'))}` +
      `\n`,
  );
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = compose();
  } catch (error) {
    process.stderr.write(`compose: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
