import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { Kind, parse, type TypeNode } from 'graphql';
import { ANONYMOUS } from '../services/common/auth/viewer';
import { hasErrorCode } from '../services/common/error-codes';
import type { Logger } from '../services/common/logger';
import type { Registry } from '../services/common/registry';
import type { GatewayContext } from './context';

/** The dashboard's first question: the years every member reported, from which it opens on the latest. */
const LATEST_YEAR_OPERATION = 'LatestYear';

type WarmUpRequest = { query: string; variables: Record<string, unknown> };

/**
 * Runs every query the dashboard sends once, before the gateway takes requests, so that their query plans are built
 * (and, with the response cache on, the answers are there) before the first visitor asks. The list comes with the
 * built dashboard (`operations.json`, written by gateway/dashboard/vite.config.mts). Years are the one the dashboard
 * opens on, the latest any member reported, asked first as the dashboard does.
 */
export async function warmUp(apollo: ApolloServer<GatewayContext>, dashboardDir: string, registry: Registry, logger: Logger): Promise<void> {
  const manifest = path.join(dashboardDir, 'operations.json');
  if (!existsSync(manifest)) return;
  const { queries } = JSON.parse(readFileSync(manifest, 'utf8')) as { queries: string[] };
  const started = performance.now();
  // Marked as warming up: the cities' answers to it do not count towards their circuit breakers (cold cities answer
  // the first questions slowly, and a breaker opened by them would refuse the first visitors).
  const ask = (request: WarmUpRequest) => apollo.executeOperation(request, { contextValue: { viewer: { ...ANONYMOUS, locale: 'de' }, warmingUp: true } });

  const latestYearQuery = queries.find((query) => operationName(query) === LATEST_YEAR_OPERATION);
  const latestYearRequest = latestYearQuery === undefined ? undefined : { query: latestYearQuery, variables: {} };
  const latestYearAnswer = latestYearRequest === undefined ? undefined : await ask(latestYearRequest).catch(() => undefined);
  const latestYear = latestYearIn(latestYearAnswer);
  // The LatestYear question is not asked twice: it comes back in the second round only if it missed a city.
  const runnable = queries.flatMap((query) => {
    const variables = query === latestYearQuery ? undefined : exampleVariables(query, registry, latestYear);
    return variables === undefined ? [] : [{ query, variables }];
  });
  // All at once, so that a city that hangs delays start-up by two subgraph timeouts at most. Planning happens
  // whatever the answers; an answer that missed a city (one still busy starting) is asked once more, so that the
  // response cache, which keeps only complete answers, holds it for the first visitor.
  const firstRound = await Promise.all(runnable.map(async (request) => ((await attempt(request)) ? undefined : request)));
  if (latestYearRequest && (latestYearAnswer === undefined || missesACity(latestYearAnswer))) firstRound.push(latestYearRequest);
  const secondRound = await Promise.all(firstRound.filter((request) => request !== undefined).map(attempt));
  const incomplete = secondRound.filter((complete) => !complete).length;
  logger.info({ operations: runnable.length + (latestYearRequest ? 1 : 0), year: latestYear, incomplete, ms: Math.round(performance.now() - started) }, 'query plans warmed');

  /** Whether no city was missing from the answer; a failure to plan is logged, and the plan is built on first use. */
  async function attempt(request: WarmUpRequest): Promise<boolean> {
    try {
      return !missesACity(await ask(request));
    } catch (error) {
      logger.warn({ err: error }, 'warming a query plan failed; it is built on first use instead');
      return true;
    }
  }
}

type WarmUpAnswer = Awaited<ReturnType<ApolloServer<GatewayContext>['executeOperation']>>;

/** Whether a city or the forum was missing from an answer (one still busy starting). */
function missesACity(response: WarmUpAnswer): boolean {
  if (response.body.kind !== 'single') return false;
  return (response.body.singleResult.errors ?? []).some((error) => hasErrorCode(error, 'CITY_UNAVAILABLE') || hasErrorCode(error, 'SUBGRAPH_UNAVAILABLE'));
}

function operationName(query: string): string | undefined {
  const operation = parse(query).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operation?.kind === Kind.OPERATION_DEFINITION ? operation.name?.value : undefined;
}

/** The latest year in the LatestYear answer (`forum.members[].annualFigures[].year`), if it came. */
function latestYearIn(response: WarmUpAnswer | undefined): number | undefined {
  if (response?.body.kind !== 'single') return undefined;
  const data = response.body.singleResult.data as { forum?: { members?: Array<{ annualFigures?: Array<{ year?: unknown }> | null } | null> } } | null | undefined;
  const years = (data?.forum?.members ?? []).flatMap((member) => member?.annualFigures ?? []).map((figures) => figures.year);
  const numbers = years.filter((year): year is number => typeof year === 'number');
  return numbers.length === 0 ? undefined : Math.max(...numbers);
}

/**
 * Values for an operation's variables; planning does not depend on them, but the gateway checks them first.
 * Undefined when an operation needs a kind of value this does not know how to make up.
 */
export function exampleVariables(query: string, registry: Registry, year = new Date().getUTCFullYear() - 1): Record<string, unknown> | undefined {
  const operation = parse(query).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return undefined;
  const examples: Record<string, unknown> = { Int: year, ID: registry.members[0]?.id, String: '', Boolean: false };
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.type.kind !== Kind.NON_NULL_TYPE) continue;
    const value = examples[namedType(definition.type)];
    if (value === undefined) return undefined;
    variables[definition.variable.name.value] = value;
  }
  return variables;
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}
