import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Messages } from '../../services/common/messages';
import type { Registry } from '../../services/common/registry';
import type { GatewayContext } from '../context';
import { CITY_UNAVAILABLE, identifySubgraph, unavailableError, type KnownDownTimes, type WriteOutcome } from '../transport/subgraph-errors';
import { hasErrorCode, type ErrorCode } from '../../services/common/error-codes';

/** Codes that mean "this subgraph could not deliver", as opposed to "the request was wrong". */
const AVAILABILITY_CODES: ReadonlySet<string> = new Set<ErrorCode>([CITY_UNAVAILABLE, 'DATABASE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR']);

/**
 * One error per missing city. A city that is down fails every fetch and every field the query sends it
 * (staff, trainees, training...); clients should learn once that Duisburg is missing, not read a dozen errors.
 * User errors (bad input, not found) pass through untouched. In a mutation each error also says what became of the
 * write (`writeOutcome`), so that a form can tell its user whether to send again. Each says as of when the city is
 * missing (`missingSince`): since when its breaker knows it to be down, else when this answer found it missing; an
 * answer kept in the response cache goes on saying the same.
 */
export function useCityAvailabilityErrors(currentRegistry: () => Registry): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operation, metrics }) {
          // An answer from the response cache was collapsed before it was kept, and says since when as it did then.
          if (metrics.responseCacheHit) return;
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const locale = (contextValue as Partial<GatewayContext>).viewer?.locale ?? 'en';
          const writes = operation?.operation === 'mutation';
          response.body.singleResult.errors = collapseCityErrors(currentRegistry(), response.body.singleResult.errors, locale, writes);
        },
      };
    },
  };
}

export function collapseCityErrors(
  registry: Registry,
  errors: readonly GraphQLFormattedError[],
  locale: 'de' | 'en' = 'en',
  writes = false,
  now: Date = new Date(),
): GraphQLFormattedError[] {
  const byCity = new Map<string, GraphQLFormattedError[]>();
  const others: GraphQLFormattedError[] = [];
  for (const error of errors) {
    const city = cityOf(registry, error);
    if (city && AVAILABILITY_CODES.has(String(error.extensions?.code))) byCity.set(city, [...(byCity.get(city) ?? []), error]);
    else others.push(error);
  }
  const collapsed = [...byCity].map(([city, cityErrors]): GraphQLFormattedError => {
    // A call that was made says more than one answered without calling (its breaker opened while the request ran).
    const first =
      cityErrors.find((error) => hasErrorCode(error, CITY_UNAVAILABLE) && error.extensions?.knownDown === undefined) ??
      cityErrors.find((error) => hasErrorCode(error, CITY_UNAVAILABLE)) ??
      cityErrors[0]!;
    const knownDown = first.extensions?.knownDown as KnownDownTimes | undefined;
    const knownDownSince = cityErrors.map((each) => (each.extensions?.knownDown as KnownDownTimes | undefined)?.since).filter((since) => since !== undefined);
    const missingSince = knownDownSince.sort()[0] ?? now.toISOString();
    const delivered = cityErrors.some((each) => each.extensions?.delivered !== false);
    const writeOutcome: WriteOutcome | undefined = writes ? (delivered ? 'UNKNOWN' : 'NOT_WRITTEN') : undefined;
    const reasons = (first.extensions?.reasons as Messages | undefined) ?? reasonOf(first);
    const error = unavailableError(identifySubgraph(registry, city), reasons, locale, {
      ...(delivered ? {} : { delivered: false }),
      ...(writeOutcome ? { writeOutcome } : {}),
      ...(knownDown ? { knownDown } : {}),
    });
    return {
      message: error.message,
      ...(first.path ? { path: first.path } : {}),
      extensions: { ...error.extensions, missingSince, affectedPaths: cityErrors.flatMap((each) => (each.path ? [each.path] : [])) },
    };
  });
  return [...collapsed, ...others];
}

function cityOf(registry: Registry, error: GraphQLFormattedError): string | undefined {
  const candidates = [error.extensions?.city, error.extensions?.serviceName];
  return candidates.find((name): name is string => typeof name === 'string' && registry.members.some((member) => member.id === name));
}

function reasonOf(error: GraphQLFormattedError): Messages {
  if (hasErrorCode(error, 'DATABASE_UNAVAILABLE')) return { de: 'ihre Datenbank ist nicht erreichbar', en: 'its database is unavailable' };
  return { de: 'ihr Dienst meldete einen internen Fehler', en: 'its service reported an internal error' };
}
