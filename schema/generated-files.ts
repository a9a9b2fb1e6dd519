import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Registry } from '../services/common/registry';
import { GENERATED_HEADER, composeFederation, type Composition } from './composition';
import { POSTGRES_INIT_SCRIPT, postgresInitScript } from './compose-database';
import { dockerCompose } from './docker-compose';
import { routerConfig } from './router-config';

/**
 * Everything generated from the member registry, under a checkout's root: the subgraph SDLs, the supergraph,
 * docker-compose.yml with its PostgreSQL init script, and Apollo Router's configuration. Checked in, so that a schema or deployment change is
 * visible in review.
 */
export interface GeneratedFiles {
  composition: Composition;
  /** Absolute path -> content. */
  files: Map<string, string>;
  /** Generated subgraph files of members no longer in the registry. */
  strays: string[];
}

export function generatedFiles(registry: Registry, root: string): GeneratedFiles {
  const composition = composeFederation(registry);
  const subgraphDir = path.join(root, 'schema', 'subgraphs');
  const files = new Map<string, string>([
    [path.join(root, 'schema', 'supergraph.graphql'), composition.supergraph],
    [path.join(root, 'docker-compose.yml'), `${GENERATED_HEADER}${dockerCompose(registry)}`],
    [path.join(root, 'schema', 'router.yaml'), `${GENERATED_HEADER}${routerConfig(registry)}`],
    [path.join(root, ...POSTGRES_INIT_SCRIPT.split('/')), postgresInitScript(registry)],
  ]);
  for (const [name, sdl] of composition.subgraphs) files.set(path.join(subgraphDir, `${name}.graphql`), sdl);
  const strays = existsSync(subgraphDir)
    ? readdirSync(subgraphDir)
        .map((file) => path.join(subgraphDir, file))
        .filter((file) => file.endsWith('.graphql') && !files.has(file))
    : [];
  return { composition, files, strays };
}

/** Files whose checked-in content differs from what the registry and code generate now. */
export function staleFiles(generated: GeneratedFiles): string[] {
  const stale = [...generated.files].filter(([file, content]) => !existsSync(file) || readFileSync(file, 'utf8') !== content);
  return [...stale.map(([file]) => file), ...generated.strays];
}

export function writeGeneratedFiles(generated: GeneratedFiles): void {
  for (const [file, content] of generated.files) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  for (const file of generated.strays) rmSync(file);
}
