import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache, PrefixingKeyValueCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { BREAK, visit, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { Viewer } from '../../services/common/auth/viewer';
import { hasErrorCode } from '../../services/common/error-codes';
import type { GatewayContext } from '../context';
import type { GenerationPerRequest } from '../shared-state/cache-generation';
import { CITY_UNAVAILABLE } from '../transport/subgraph-errors';

export interface ResponseCacheSettings {
  /** How long an answer is served from the cache; 0 turns the cache off. */
  ttlMs: number;
  /** How long an answer whose only errors are missing cities is served from the cache; at most `ttlMs`, 0: never. */
  partialTtlMs: number;
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
 * Fields whose answers change without a committed write, so are never cached: an audit log grows with every refused
 * write (refusals start no new generation), and an import job's progress moves while its rows are not yet committed.
 */
const CHANGING_WITHOUT_COMMIT = new Set(['auditLog', 'figureImportJob']);

/** Whether an operation reads a field whose answers change without a committed write (CHANGING_WITHOUT_COMMIT). */
export function readsWhatChangesWithoutCommit(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (!CHANGING_WITHOUT_COMMIT.has(node.name.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * Whether an answer's only errors say that cities are missing (`CITY_UNAVAILABLE`, one per city, each naming it and
 * since when it is missing): everything else in it is as complete as the cities that answered can make it.
 */
export function missesOnlyCities(errors: readonly GraphQLFormattedError[] | undefined): boolean {
  return errors !== undefined && errors.length > 0 && errors.every((error) => hasErrorCode(error, CITY_UNAVAILABLE));
}

/**
 * Whole answers to queries, kept per audience for `ttlMs`: a dashboard's repeated questions are answered without
 * planning or asking the cities. Answers missing cities, and no other errors, are kept for `partialTtlMs` only
 * (keepPartialAnswers); an answer with any other error is not kept. Never answers to mutations, audit logs nor import jobs, and
 * every committed write starts a new generation. Kept in this process's memory, or in `store` (Redis, shared by the
 * replicas: gateway/shared-state/). An answer from the cache carries `Age`, from the time it was stored. Clients get
 * no `Cache-Control` from it: a shared proxy keys on the URL, not on the audience.
 */
export function useResponseCache(
  settings: ResponseCacheSettings,
  generations: GenerationPerRequest,
  store?: KeyValueCache<string>,
): ApolloServerPlugin<GatewayContext>[] {
  const noHttpCaching = ApolloServerPluginCacheControl({ calculateHttpHeaders: false });
  if (settings.ttlMs === 0) return [noHttpCaching];
  const maxAge = Math.max(1, Math.round(settings.ttlMs / 1000));

  const cachePolicy: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, overallCachePolicy }) {
          if (operation?.operation === 'query' && !readsWhatChangesWithoutCommit(document)) overallCachePolicy.replace({ maxAge, scope: 'PUBLIC' });
        },
      };
    },
  };
  // The generation each query was looked up in: read once, before the query runs, so that an answer read while a
  // write commits is kept under the generation before it. Undefined (Redis away): no lookup and nothing kept.
  const generationOf = new WeakMap<GatewayContext, number | undefined>();
  const generationKnown = async ({ contextValue }: { contextValue: GatewayContext }) => generationOf.get(contextValue) !== undefined;
  const cache = store ?? new InMemoryLRUCache<string>({ maxSize: settings.maxBytes });
  return [
    noHttpCaching,
    cachePolicy,
    responseCachePlugin<GatewayContext>({
      cache,
      extraCacheKeyData: async ({ contextValue }) => {
        const current = await generations.of(contextValue);
        generationOf.set(contextValue, current);
        return { audience: cacheAudience(contextValue.viewer), generation: current };
      },
      shouldReadFromCache: generationKnown,
      shouldWriteToCache: generationKnown,
    }),
    // After Apollo's plugin: asked only when it found no complete answer, and by then the generation was read.
    ...(settings.partialTtlMs > 0 ? [keepPartialAnswers(settings.partialTtlMs, settings.ttlMs, cache, generationOf)] : []),
  ];
}

/** An answer kept although cities were missing from it, as it was sent: its figures, its errors, when it was kept. */
interface PartialAnswer {
  data: Record<string, unknown>;
  errors: readonly GraphQLFormattedError[];
  cacheTime: number;
}

/**
 * Answers missing cities, kept for `ttlMs`, or `knownDownTtlMs` when every missing city is known to be down. Apollo's plugin keeps no answer with errors, and keeps only the data of
 * those it does, so these are kept beside its own (`partial:` before the key) with their errors: each error names the
 * missing city and since when it is missing (`missingSince`, use-city-availability-errors.ts), which stays as it was
 * while the kept answer is served. Keyed like Apollo's: the document, operation, variables, audience and generation,
 * so a committed write ends them as it ends the others. While a city is down, the readers of the same page then
 * cost one full run per `ttlMs` instead of one each. Not for the warm-up, which asks again for what missed a city.
 */
function keepPartialAnswers(
  ttlMs: number,
  knownDownTtlMs: number,
  store: KeyValueCache<string>,
  generationOf: WeakMap<GatewayContext, number | undefined>,
): ApolloServerPlugin<GatewayContext> {
  const kept = new PrefixingKeyValueCache(store, 'partial:');
  return {
    async requestDidStart() {
      let key: string | undefined;
      let ageSeconds: number | undefined;
      return {
        async responseForOperation({ operation, contextValue, source, operationName, request, metrics }) {
          const generation = generationOf.get(contextValue);
          if (operation?.operation !== 'query' || generation === undefined || contextValue.warmingUp) return null;
          const keyData = { source, operationName, variables: request.variables ?? {}, audience: cacheAudience(contextValue.viewer), generation };
          key = createHash('sha256').update(JSON.stringify(keyData)).digest('hex');
          const value = await kept.get(key);
          if (value === undefined) return null;
          const answer = JSON.parse(value) as PartialAnswer;
          metrics.responseCacheHit = true;
          ageSeconds = Math.round((Date.now() - answer.cacheTime) / 1000);
          return {
            body: { kind: 'single', singleResult: { data: answer.data, errors: answer.errors } },
            http: { status: undefined, headers: new HeaderMap() },
          };
        },
        async willSendResponse({ response, overallCachePolicy, logger }) {
          if (ageSeconds !== undefined) {
            response.http.headers.set('age', String(ageSeconds));
            return;
          }
          if (key === undefined || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          // The same policy as for complete answers (no audit logs); errors of any other kind keep nothing.
          if (!data || !missesOnlyCities(errors) || !overallCachePolicy.policyIfCacheable()) return;
          const answer: PartialAnswer = { data, errors: errors!, cacheTime: Date.now() };
          // Cities whose breakers know them to be down are probed after every cool-down, and one answering again
          // starts a new generation (gateway/transport/circuit-breaker.ts): an answer missing only such cities is kept
          // as long as a whole one, and is gone the moment they are back. Any other missing city: briefly.
          const ttl = errors!.every((error) => error.extensions?.knownDown !== undefined) ? knownDownTtlMs : ttlMs;
          kept.set(key, JSON.stringify(answer), { ttl: ttl / 1000 }).catch((error: unknown) => logger.warn(String(error)));
        },
      };
    },
  };
}
