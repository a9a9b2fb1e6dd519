import { makeExecutableSchema } from '@graphql-tools/schema';
import { getDocumentNodeFromSchema, MapperKind, mapSchema, printSchemaWithDirectives } from '@graphql-tools/utils';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  type GraphQLSchema,
  type DocumentNode,
  type GraphQLResolveInfo,
  type ObjectTypeDefinitionNode,
} from 'graphql';
import { createResolversMap } from 'type-graphql';
import { errorExtensions } from './error-codes';

/**
 * The Federation v2 subgraph protocol, implemented here on `@graphql-tools/schema` (MIT) rather than with
 * `@apollo/subgraph`, which depends on the Elastic-licensed `@apollo/federation-internals`. The Guild's
 * `@graphql-tools/federation` built subgraph schemas until its 3.0.0 removed `buildSubgraphSchema`
 * (docs/dependencies.md). What a gateway and a composer need of a subgraph is small and specified
 * (https://www.apollographql.com/docs/graphos/reference/federation/subgraph-spec): `_service { sdl }`,
 * `_entities(representations:)`, the `_Any` scalar and the `_Entity` union.
 */

const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.3';

/** The federation directives the subgraphs use, imported by their plain names; the others keep the `federation__` prefix. */
const IMPORTED_DIRECTIVES = ['key', 'shareable', 'external', 'requires', 'inaccessible'] as const;

export const FEDERATION_LINK = `extend schema @link(url: "${FEDERATION_SPEC}", import: [${IMPORTED_DIRECTIVES.map((name) => `"@${name}"`).join(', ')}])`;

/** The name a federation v2.3 directive has in our subgraphs: its own when imported, `federation__<name>` otherwise. */
function federationDirectiveName(name: string): string {
  return (IMPORTED_DIRECTIVES as readonly string[]).includes(name) ? name : `federation__${name}`;
}

/** Every directive federation v2.3 defines (the definitions `@apollo/subgraph` added), as our subgraphs name them. */
const FEDERATION_DIRECTIVE_DEFINITIONS = [
  ['key', '(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE'],
  ['requires', '(fields: federation__FieldSet!) on FIELD_DEFINITION'],
  ['provides', '(fields: federation__FieldSet!) on FIELD_DEFINITION'],
  ['external', '(reason: String) on OBJECT | FIELD_DEFINITION'],
  [
    'tag',
    '(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA',
  ],
  ['extends', ' on OBJECT | INTERFACE'],
  ['shareable', ' repeatable on OBJECT | FIELD_DEFINITION'],
  [
    'inaccessible',
    ' on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION',
  ],
  ['override', '(from: String!) on FIELD_DEFINITION'],
  ['composeDirective', '(name: String) repeatable on SCHEMA'],
  ['interfaceObject', ' on OBJECT'],
] as const;

const FEDERATION_DIRECTIVE_NAMES = new Set<string>(['link', ...FEDERATION_DIRECTIVE_DEFINITIONS.map(([name]) => federationDirectiveName(name))]);

/** Types the protocol adds to a subgraph; `_service.sdl` leaves them out, as the composer adds its own. */
const FEDERATION_TYPE_NAMES = new Set(['_Any', '_Entity', '_Service', 'federation__FieldSet', 'link__Import', 'link__Purpose']);
const FEDERATION_QUERY_FIELDS = new Set(['_entities', '_service']);

const ENTITY_UNION = '_Entity';

const FEDERATION_DEFINITIONS = `
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
${FEDERATION_DIRECTIVE_DEFINITIONS.map(([name, signature]) => `directive @${federationDirectiveName(name)}${signature}`).join('\n')}

"""A selection of fields, as @key and @requires take it (federation)."""
scalar federation__FieldSet

"""An element of @link's import list (link spec)."""
scalar link__Import

"""What a linked spec is for (link spec)."""
enum link__Purpose {
  """\`SECURITY\` features provide metadata necessary to securely resolve fields."""
  SECURITY
  """\`EXECUTION\` features provide metadata necessary for operation execution."""
  EXECUTION
}

"""An entity representation: \`__typename\` and the fields of a key (and of @requires), as the gateway sends it."""
scalar _Any

"""The subgraph's description of itself, for composition."""
type _Service {
  """The subgraph's SDL with its federation directives, without the types the protocol adds (federation)."""
  sdl: String
}
`;

/** What the gateway sends to `_entities`: the entity's type and the fields of its key (and of @requires). */
export interface EntityRepresentation {
  readonly __typename: string;
  readonly [field: string]: unknown;
}

/**
 * An entity type's `__resolveReference`: the entity for a representation, null when this subgraph does not know it.
 * The parameters default to `never` so that each entity may name its own representation and context types.
 */
export interface EntityResolvers<Representation = never, Context = never> {
  __resolveReference(representation: Representation, context: Context, info: GraphQLResolveInfo): unknown;
}

export type SubgraphResolverMap = Record<string, EntityResolvers>;

/** How `_entities` calls a `__resolveReference` it was given as `EntityResolvers` (whose `never`s only loosen the types callers write). */
type ReferenceResolver = (representation: EntityRepresentation, context: unknown, info: GraphQLResolveInfo) => unknown;

export interface SubgraphSchemaOptions {
  /** The service's schema as type-graphql builds it from static classes. */
  schema: GraphQLSchema;
  /** Resolvers type-graphql cannot express: `__resolveReference` of the entity types. */
  resolvers: SubgraphResolverMap;
}

/** Object types with a `@key`: the members of `_Entity`, the types `_entities` resolves. */
function entityTypeNames(document: DocumentNode): string[] {
  return document.definitions
    .filter((definition): definition is ObjectTypeDefinitionNode => definition.kind === Kind.OBJECT_TYPE_DEFINITION)
    .filter((definition) => definition.directives?.some((directive) => directive.name.value === 'key'))
    .map((definition) => definition.name.value);
}

function isEntityRepresentation(value: unknown): value is EntityRepresentation {
  return typeof value === 'object' && value !== null && typeof (value as { __typename?: unknown }).__typename === 'string';
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * The `_entities` resolver: one entry per representation, in order. A representation that fails gives null at
 * its own index and an error at `_entities.<index>` (graphql-js reports an `Error` in a list at the item's path),
 * so one city's or one member's failure does not blank the others.
 */
function entitiesResolver(entityTypes: ReadonlySet<string>, referenceResolvers: ReadonlyMap<string, ReferenceResolver>, typeOfEntity: WeakMap<object, string>) {
  return (_source: unknown, { representations }: { representations: unknown[] }, context: unknown, info: GraphQLResolveInfo): unknown[] =>
    representations.map((representation) => {
      if (!isEntityRepresentation(representation) || !entityTypes.has(representation.__typename)) {
        const typename = isEntityRepresentation(representation) ? representation.__typename : undefined;
        return new GraphQLError(`A representation must name an entity type of this subgraph in __typename; "${String(typename)}" is none.`, {
          extensions: errorExtensions('BAD_USER_INPUT', { argumentName: 'representations' }),
        });
      }
      const typename = representation.__typename;
      const typed = (entity: unknown): unknown => {
        if (typeof entity === 'object' && entity !== null) typeOfEntity.set(entity, typename);
        return entity;
      };
      const resolveReference = referenceResolvers.get(typename);
      if (!resolveReference) return typed(representation);
      try {
        const entity = resolveReference(representation, context, info);
        return isPromiseLike(entity) ? Promise.resolve(entity).then(typed) : typed(entity);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
}

/**
 * The type-graphql schema as a Federation v2 subgraph: its SDL with the federation directives the classes declare,
 * type-graphql's resolvers, and the protocol's `_service` and `_entities` calling the entity types'
 * `__resolveReference`. The schema is the same whichever city serves it: every member is the one `Municipality`
 * entity, and the gateway routes each to its city by key (docs/routing.md).
 */
export function buildFederatedSchema({ schema, resolvers }: SubgraphSchemaOptions): GraphQLSchema {
  const serviceDocument = parse(printSchemaWithDirectives(schema));
  const entityTypes = entityTypeNames(serviceDocument);
  const referenceResolvers = new Map<string, ReferenceResolver>();
  for (const [typeName, entityResolvers] of Object.entries(resolvers)) {
    if (!entityTypes.includes(typeName)) throw new Error(`__resolveReference is given for ${typeName}, which has no @key in the schema.`);
    referenceResolvers.set(typeName, entityResolvers.__resolveReference.bind(entityResolvers) as ReferenceResolver);
  }
  // The entity a `__resolveReference` returned -> its type: the union asks for it, and the object may be a class
  // instance that field resolvers need as it is, so it is not copied to carry a `__typename`.
  const typeOfEntity = new WeakMap<object, string>();
  const typeResolvers = createResolversMap(schema) as Record<string, object>;

  let serviceSdl = '';
  const hasQuery = serviceDocument.definitions.some((definition) => definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Query');
  const protocolTypeDefs = `${entityTypes.length ? `union ${ENTITY_UNION} = ${entityTypes.join(' | ')}\n` : ''}${hasQuery ? 'extend type' : 'type'} Query {
  ${entityTypes.length ? '_entities(representations: [_Any!]!): [_Entity]!\n  ' : ''}_service: _Service!
}`;
  const subgraphSchema = makeExecutableSchema({
    typeDefs: [serviceDocument, FEDERATION_DEFINITIONS, protocolTypeDefs],
    resolvers: [
      typeResolvers,
      {
        Query: {
          _service: () => ({ sdl: serviceSdl }),
          ...(entityTypes.length ? { _entities: entitiesResolver(new Set(entityTypes), referenceResolvers, typeOfEntity) } : {}),
        },
        ...(entityTypes.length
          ? {
              [ENTITY_UNION]: {
                __resolveType: (entity: object) => typeOfEntity.get(entity) ?? (entity as { __typename?: string }).__typename,
              },
            }
          : {}),
      },
    ],
  });
  serviceSdl = printSubgraphSdl(subgraphSchema);
  return subgraphSchema;
}

/**
 * A subgraph schema's SDL as `_service { sdl }` gives it and composition reads it: `extend schema @link(...)`, then
 * the service's own types with the federation directives they carry, without the definitions the protocol adds.
 */
export function printSubgraphSdl(subgraphSchema: GraphQLSchema): string {
  const ownSchema = mapSchema(subgraphSchema, {
    [MapperKind.TYPE]: (type) => (FEDERATION_TYPE_NAMES.has(type.name) ? null : type),
    [MapperKind.DIRECTIVE]: (directive) => (FEDERATION_DIRECTIVE_NAMES.has(directive.name) ? null : directive),
    [MapperKind.QUERY_ROOT_FIELD]: (field, fieldName) => (FEDERATION_QUERY_FIELDS.has(fieldName) ? null : field),
  });
  // The schema definition is left out (the root types have their default names; the protocol's `extend type
  // Query` brought it), and so is a Query left without fields: the city subgraph has only the protocol's.
  const document = getDocumentNodeFromSchema(ownSchema);
  const definitions = document.definitions.filter(
    (definition) =>
      definition.kind !== Kind.SCHEMA_DEFINITION &&
      definition.kind !== Kind.SCHEMA_EXTENSION &&
      !(definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Query' && !definition.fields?.length),
  );
  return `${FEDERATION_LINK}\n\n${print({ ...document, definitions })}`;
}
