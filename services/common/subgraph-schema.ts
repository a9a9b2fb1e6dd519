import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { createResolversMap } from 'type-graphql';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])';

export interface SubgraphSchemaOptions {
  /** The service's schema as type-graphql builds it from static classes. */
  schema: GraphQLSchema;
  /** Resolvers type-graphql cannot express: `__resolveReference` of the entity types. */
  resolvers: GraphQLResolverMap<unknown>;
}

/**
 * The type-graphql schema as a Federation v2 subgraph: its SDL with the federation directives the classes declare,
 * and type-graphql's resolvers with the entity resolvers added. The schema is the same whichever city serves it:
 * every member is the one `Municipality` entity, and the gateway routes each to its city by key (docs/routing.md).
 */
export function buildFederatedSchema({ schema, resolvers }: SubgraphSchemaOptions): GraphQLSchema {
  const typeResolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, extra] of Object.entries(resolvers)) {
    typeResolvers[typeName] = { ...(typeResolvers[typeName] as object), ...(extra as object) } as never;
  }
  return buildSubgraphSchema({ typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`), resolvers: typeResolvers });
}
