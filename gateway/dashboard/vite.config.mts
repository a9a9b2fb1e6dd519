import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/** The contract's operations as the product carries them (the unit test dashboard-operations.test.ts compares them with the contract). */
const CONTRACT = path.resolve(import.meta.dirname, 'src/operations');
const OWN_QUERIES = path.resolve(import.meta.dirname, 'src/queries.ts');

/**
 * operations.json: every query the dashboard sends (its own and the contract's, as written), so that the gateway
 * can plan them at start-up (gateway/warm-up.ts) instead of on its first visitor's request.
 */
function operationManifest(): Plugin {
  // queries.ts holds plain template strings without substitutions (its header says so; a unit test compares).
  const own = [...readFileSync(OWN_QUERIES, 'utf8').matchAll(/^export const \w+ = `(query [^`]*)`;$/gm)]
    .map((match) => match[1]!)
    .filter((query) => !query.includes('${'));
  const contract = readdirSync(CONTRACT)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(path.join(CONTRACT, file), 'utf8'));
  return {
    name: 'operation-manifest',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'operations.json', source: `${JSON.stringify({ queries: [...own, ...contract] }, null, 2)}\n` });
    },
  };
}

/**
 * The dashboard and the analysts' workbench, built into dist/dashboard and served by the gateway from the same
 * origin as /graphql. Everything is bundled: no CDN (many municipal networks have no internet).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
  plugins: [operationManifest()],
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/dashboard'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // GraphiQL's components say "use client" for React Server Components, which do not apply to a static bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        dashboard: path.resolve(import.meta.dirname, 'index.html'),
        graphiql: path.resolve(import.meta.dirname, 'graphiql.html'),
      },
    },
  },
});
