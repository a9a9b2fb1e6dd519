/**
 * Hive Gateway's response cache (@graphql-mesh/plugin-response-cache 0.107) calls `cacheControlParser.default.parse`,
 * but cache-control-parser 2.2.0, the only 2.2 release this registry has, exports `parse` without a default: every
 * subgraph answer carrying a Cache-Control header then fails. Giving the module the default it expects lets the
 * peer run as its authors meant. Loaded before the gateway runtime; the peer is a benchmark's, not the product's.
 */
import { createRequire } from 'node:module';

const parser = createRequire(__filename)('cache-control-parser') as Record<string, unknown>;
parser.default ??= parser;
