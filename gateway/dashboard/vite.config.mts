import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The dashboard and the analysts' workbench, built into dist/dashboard and served by the gateway from the same
 * origin as /graphql. Everything is bundled: no CDN (many municipal networks have no internet).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
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
