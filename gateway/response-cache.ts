import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { Viewer } from '../services/common/auth/viewer';
import type { GatewayContext } from './context';

export interface ResponseCacheSettings {
  /** How long an answer is served from memory; 0 turns the cache off. */
  ttlMs: number;
  /** Memory the cached answers may take, roughly (the cache counts characters). */
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
 * Bumped after every write that passed through this gateway: answers are cached under the generation they were
 * read in, so an answer read before a write finished is never served after it.
 */
export class CacheGeneration {
  private current = 0;
  get value(): number {
    return this.current;
  }
  advance(): void {
    this.current += 1;
  }
}

/**
 * Whole answers to queries, kept in memory per audience for `ttlMs`: a dashboard's repeated questions are
 * answered without planning or asking the cities. Only complete answers are kept (a missing city's error means
 * nothing is cached), never answers to mutations, and every mutation starts a new generation.
 * Clients get no `Cache-Control` from it: a shared proxy keys on the URL, not on the audience.
 */
export function useResponseCache(settings: ResponseCacheSettings): ApolloServerPlugin<GatewayContext>[] {
  const noHttpCaching = ApolloServerPluginCacheControl({ calculateHttpHeaders: false });
  if (settings.ttlMs === 0) return [noHttpCaching];
  const generation = new CacheGeneration();
  const maxAge = Math.max(1, Math.round(settings.ttlMs / 1000));

  const cachePolicyAndGenerations: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, overallCachePolicy }) {
          if (operation?.operation === 'query') overallCachePolicy.replace({ maxAge, scope: 'PUBLIC' });
        },
        async willSendResponse({ operation }) {
          // After the write's answer (or its failure): a write may have happened even when the answer was lost.
          if (operation?.operation === 'mutation') generation.advance();
        },
      };
    },
  };
  return [
    noHttpCaching,
    cachePolicyAndGenerations,
    responseCachePlugin<GatewayContext>({
      cache: new InMemoryLRUCache({ maxSize: settings.maxBytes }),
      extraCacheKeyData: async ({ contextValue }) => ({ audience: cacheAudience(contextValue.viewer), generation: generation.value }),
    }),
  ];
}
