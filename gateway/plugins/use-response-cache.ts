import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { BREAK, visit, type DocumentNode } from 'graphql';
import type { Viewer } from '../../services/common/auth/viewer';
import type { GatewayContext } from '../context';

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
 * Bumped after every write that a subgraph committed through this gateway (gateway/transport/subgraph-data-source.ts reads the
 * subgraph's `ifh-write-committed` header): answers are cached under the generation they were read in, so an answer
 * read before a write finished is never served after it. A refused or failed write leaves it as it is, so that
 * nobody can empty the cache for everyone by sending writes that are refused. One per gateway, made by main.ts.
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
 * Whole answers to queries, kept in memory per audience for `ttlMs`: a dashboard's repeated questions are
 * answered without planning or asking the cities. Only complete answers are kept (a missing city's error means
 * nothing is cached), never answers to mutations nor audit logs, and every committed write starts a new generation.
 * Clients get no `Cache-Control` from it: a shared proxy keys on the URL, not on the audience.
 */
export function useResponseCache(settings: ResponseCacheSettings, generation: CacheGeneration): ApolloServerPlugin<GatewayContext>[] {
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
  return [
    noHttpCaching,
    cachePolicy,
    responseCachePlugin<GatewayContext>({
      cache: new InMemoryLRUCache({ maxSize: settings.maxBytes }),
      extraCacheKeyData: async ({ contextValue }) => ({ audience: cacheAudience(contextValue.viewer), generation: generation.value }),
    }),
  ];
}
