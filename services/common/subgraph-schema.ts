import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import {
  Kind,
  parse,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
} from 'graphql';
import { createResolversMap } from 'type-graphql';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])';

/** Template type name -> the per-member types stamped from it. */
export type PerMemberTypes = Record<string, ReadonlyArray<{ typeName: string; description: string }>>;

export interface SubgraphSchemaOptions {
  /** The service's schema as type-graphql builds it from static classes (no Query type needed). */
  schema: GraphQLSchema;
  /**
   * Per-member entity types, stamped from one template class: `{ CityTemplate: ['Duisburg'] }`. Federation
   * routes a field by the type that owns it, so each city needs a type of its own (see docs/architecture.md),
   * while the code keeps one class for all of them.
   */
  perMemberTypes: PerMemberTypes;
  /** Resolvers type-graphql cannot express: `__resolveReference`, `__resolveType` over the stamped types. */
  resolvers: GraphQLResolverMap<unknown>;
}

/** The subgraph's SDL with federation directives, before it is turned into an executable schema. */
export function subgraphTypeDefs(schema: GraphQLSchema, perMemberTypes: PerMemberTypes): DocumentNode {
  const document = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const definitions = document.definitions.flatMap((definition): DefinitionNode[] => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return [definition];
    const copies = perMemberTypes[definition.name.value];
    if (!copies) return [definition];
    return copies.map(
      ({ typeName, description }): ObjectTypeDefinitionNode => ({
        ...definition,
        name: { kind: Kind.NAME, value: typeName },
        description: { kind: Kind.STRING, value: description, block: true },
      }),
    );
  });
  assertTemplatesUnreferenced(definitions, Object.keys(perMemberTypes));
  return { ...document, definitions };
}

export function buildFederatedSchema({ schema, perMemberTypes, resolvers }: SubgraphSchemaOptions): GraphQLSchema {
  const typeResolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [template, copies] of Object.entries(perMemberTypes)) {
    const templateResolvers = typeResolvers[template];
    delete typeResolvers[template];
    if (templateResolvers) for (const { typeName } of copies) typeResolvers[typeName] = templateResolvers;
  }
  for (const [typeName, extra] of Object.entries(resolvers)) {
    typeResolvers[typeName] = { ...(typeResolvers[typeName] as object), ...(extra as object) } as never;
  }
  return buildSubgraphSchema({ typeDefs: subgraphTypeDefs(schema, perMemberTypes), resolvers: typeResolvers });
}

/** A field typed as the template itself would dangle once the template is replaced by its copies. */
function assertTemplatesUnreferenced(definitions: readonly DefinitionNode[], templates: readonly string[]): void {
  for (const definition of definitions) {
    visit(definition, {
      NamedType(node) {
        if (templates.includes(node.name.value)) {
          throw new Error(`${node.name.value} is a per-member template: fields must return the interface, not the template`);
        }
      },
    });
  }
}
