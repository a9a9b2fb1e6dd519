import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { Kind, parse, type TypeNode } from 'graphql';
import { ANONYMOUS } from '../services/common/auth/viewer';
import type { Logger } from '../services/common/logger';
import type { Registry } from '../services/common/registry';
import type { GatewayContext } from './context';

/**
 * Runs every query the dashboard sends once, before the gateway takes requests, so that their query plans are built
 * (and, with the response cache on, the answers are there) before the first visitor asks. The list comes with the
 * built dashboard (`operations.json`, written by gateway/dashboard/vite.config.mts).
 */
export async function warmUp(apollo: ApolloServer<GatewayContext>, dashboardDir: string, registry: Registry, logger: Logger): Promise<void> {
  const manifest = path.join(dashboardDir, 'operations.json');
  if (!existsSync(manifest)) return;
  const { queries } = JSON.parse(readFileSync(manifest, 'utf8')) as { queries: string[] };
  const started = performance.now();
  const runnable = queries.flatMap((query) => {
    const variables = exampleVariables(query, registry);
    return variables === undefined ? [] : [{ query, variables }];
  });
  // All at once, so that a city that hangs delays start-up by one subgraph timeout at most. The answers do not
  // matter here (a city may be away); planning happens either way.
  const outcomes = await Promise.allSettled(
    runnable.map((request) => apollo.executeOperation(request, { contextValue: { viewer: { ...ANONYMOUS, locale: 'de' }, warmingUp: true } })),
  );
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') logger.warn({ err: outcome.reason }, 'warming a query plan failed; it is built on first use instead');
  }
  logger.info({ operations: runnable.length, ms: Math.round(performance.now() - started) }, 'query plans warmed');
}

/**
 * Values for an operation's variables; planning does not depend on them, but the gateway checks them first.
 * Undefined when an operation needs a kind of value this does not know how to make up.
 */
export function exampleVariables(query: string, registry: Registry): Record<string, unknown> | undefined {
  const operation = parse(query).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return undefined;
  const lastCompleteYear = new Date().getUTCFullYear() - 1;
  const examples: Record<string, unknown> = { Int: lastCompleteYear, ID: registry.members[0]?.id, String: '', Boolean: false };
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
