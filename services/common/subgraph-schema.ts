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

/** Root fields named after a member: `{ Mutation: { cityTemplate: { name: 'duisburg', description } } }`. */
export type PerMemberRootFields = Partial<Record<'Query' | 'Mutation', Record<string, { name: string; description: string }>>>;

/**
 * How the static type-graphql schema becomes a member's subgraph. Federation routes a field by the type (and
 * root field) that owns it, so each city needs a type of its own (see docs/architecture.md), while the code
 * keeps one class for all of them.
 */
export interface MemberStamp {
  types: PerMemberTypes;
  rootFields?: PerMemberRootFields;
}

export interface SubgraphSchemaOptions {
  /** The service's schema as type-graphql builds it from static classes. */
  schema: GraphQLSchema;
  stamp: MemberStamp;
  /** Resolvers type-graphql cannot express: `__resolveReference`, `__resolveType` over the stamped types. */
  resolvers: GraphQLResolverMap<unknown>;
}

const blockString = (value: string) => ({ kind: Kind.STRING, value, block: true }) as const;

/** The subgraph's SDL with federation directives, before it is turned into an executable schema. */
function subgraphTypeDefs(schema: GraphQLSchema, stamp: MemberStamp): DocumentNode {
  let document = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  // A template stamped once (a city's own types in its own subgraph) is renamed wherever it is used.
  const renamed = new Map(
    Object.entries(stamp.types).flatMap(([template, copies]) => (copies.length === 1 ? [[template, copies[0]!.typeName] as const] : [])),
  );
  document = visit(document, {
    NamedType: (node) => (renamed.has(node.name.value) ? { ...node, name: { ...node.name, value: renamed.get(node.name.value)! } } : undefined),
    ObjectTypeDefinition: (node) => {
      const fields = stamp.rootFields?.[node.name.value as 'Query' | 'Mutation'];
      if (!fields) return undefined;
      return {
        ...node,
        fields: node.fields?.map((field) => {
          const named = fields[field.name.value];
          return named ? { ...field, name: { ...field.name, value: named.name }, description: blockString(named.description) } : field;
        }),
      };
    },
  });
  const definitions = document.definitions.flatMap((definition): DefinitionNode[] => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return [definition];
    const template = Object.entries(stamp.types).find(
      ([name, copies]) => name === definition.name.value || (copies.length === 1 && renamed.get(name) === definition.name.value),
    );
    if (!template) return [definition];
    return template[1].map(
      ({ typeName, description }): ObjectTypeDefinitionNode => ({
        ...definition,
        name: { kind: Kind.NAME, value: typeName },
        description: blockString(description),
      }),
    );
  });
  assertTemplatesUnreferenced(definitions, Object.keys(stamp.types));
  return { ...document, definitions };
}

export function buildFederatedSchema({ schema, stamp, resolvers }: SubgraphSchemaOptions): GraphQLSchema {
  const typeResolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [template, copies] of Object.entries(stamp.types)) {
    const templateResolvers = typeResolvers[template];
    delete typeResolvers[template];
    if (templateResolvers) for (const { typeName } of copies) typeResolvers[typeName] = templateResolvers;
  }
  for (const [rootType, fields] of Object.entries(stamp.rootFields ?? {})) {
    const rootResolvers = typeResolvers[rootType] as Record<string, unknown> | undefined;
    if (!rootResolvers) continue;
    for (const [template, { name }] of Object.entries(fields)) {
      rootResolvers[name] = rootResolvers[template];
      delete rootResolvers[template];
    }
  }
  for (const [typeName, extra] of Object.entries(resolvers)) {
    typeResolvers[typeName] = { ...(typeResolvers[typeName] as object), ...(extra as object) } as never;
  }
  return buildSubgraphSchema({ typeDefs: subgraphTypeDefs(schema, stamp), resolvers: typeResolvers });
}

/** A field typed as a template stamped several times would dangle once the template is replaced by its copies. */
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
