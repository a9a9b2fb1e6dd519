import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { BREAK, visit, type DocumentNode } from 'graphql';
import type { Viewer } from '../../services/common/auth/viewer';
import type { GatewayContext } from '../context';
import type { CacheGeneration } from '../shared-state/cache-generation';

export interface ResponseCacheSettings {
  /** How long an answer is served from the cache; 0 turns the cache off. */
  ttlMs: number;
  /** Memory the cached answers may take in this process, roughly (the cache counts characters); not with Redis. */
  maxBytes: number;
}

/**
 * Who sees the same answers: what the subgraphs decide access and suppression by (services/common/auth/access.ts),
 * which is the roles and, for `hr`, the city; and the language of messages. Two viewers with the same audience
 * are shown the same figures, so they may share cached answers; no one else may.
 */
export function cacheAudience(viewer: Viewer): string {
  const roles = [...viewer.roles].sort().join('+') || 'anonymous';
  return `${roles}${viewer.roles.has('hr') && viewer.city ? `@${viewer.city}` : ''}/${viewer.locale}`;
}

/**
 * Whether an operation reads an audit log, which grows with every refused write: refusals start no new generation,
 * so its answers are never cached.
 */
export function readsAnAuditLog(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value !== 'auditLog') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * Whole answers to queries, kept per audience for `ttlMs`: a dashboard's repeated questions are answered without
 * planning or asking the cities. Only complete answers are kept (a missing city's error means nothing is cached),
 * never answers to mutations nor audit logs, and every committed write starts a new generation. Kept in this
 * process's memory, or in `store` (Redis, shared by the replicas: gateway/shared-state/). An answer from the cache
 * carries `Age` (the plugin sets it from the time it was stored). Clients get no `Cache-Control` from it: a shared
 * proxy keys on the URL, not on the audience.
 */
export function useResponseCache(
  settings: ResponseCacheSettings,
  generation: CacheGeneration,
  store?: KeyValueCache<string>,
): ApolloServerPlugin<GatewayContext>[] {
  const noHttpCaching = ApolloServerPluginCacheControl({ calculateHttpHeaders: false });
  if (settings.ttlMs === 0) return [noHttpCaching];
  const maxAge = Math.max(1, Math.round(settings.ttlMs / 1000));

  const cachePolicy: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, overallCachePolicy }) {
          if (operation?.operation === 'query' && !readsAnAuditLog(document)) overallCachePolicy.replace({ maxAge, scope: 'PUBLIC' });
        },
      };
    },
  };
  // The generation each query was looked up in: read once, before the query runs, so that an answer read while a
  // write commits is kept under the generation before it. Undefined (Redis away): no lookup and nothing kept.
  const generationOf = new WeakMap<GatewayContext, number | undefined>();
  const generationKnown = async ({ contextValue }: { contextValue: GatewayContext }) => generationOf.get(contextValue) !== undefined;
  return [
    noHttpCaching,
    cachePolicy,
    responseCachePlugin<GatewayContext>({
      cache: store ?? new InMemoryLRUCache({ maxSize: settings.maxBytes }),
      extraCacheKeyData: async ({ contextValue }) => {
        const current = await generation.current();
        generationOf.set(contextValue, current);
        return { audience: cacheAudience(contextValue.viewer), generation: current };
      },
      shouldReadFromCache: generationKnown,
      shouldWriteToCache: generationKnown,
    }),
  ];
}
