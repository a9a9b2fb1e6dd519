import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { authChecker } from '../common/auth/auth-checker';
import { buildFederatedSchema, subgraphTypeDefs } from '../common/subgraph-schema';
import { memberTypeDescription, type Member } from '../common/registry';
import type { CityReference } from './context';
import { MunicipalityResolver, StaffFiguresResolver } from './resolvers/municipality.resolver';
import { CityTemplate } from './types/city.type';

let baseSchema: GraphQLSchema | undefined;

/** The city subgraph as type-graphql builds it: the same for every city, with the template still in place. */
function cityBaseSchema(): GraphQLSchema {
  baseSchema ??= buildSchemaSync({
    resolvers: [MunicipalityResolver, StaffFiguresResolver],
    orphanedTypes: [CityTemplate],
    skipCheck: true,
    authChecker,
  });
  return baseSchema;
}

const perMemberTypes = (member: Member) => ({
  CityTemplate: [{ typeName: member.typeName, description: memberTypeDescription(member) }],
});

/** The SDL of one city's subgraph, as `npm run compose` writes it. */
export function citySubgraphTypeDefs(member: Member) {
  return subgraphTypeDefs(cityBaseSchema(), perMemberTypes(member));
}

/** One city's executable subgraph: its entity type carries the city's own type name. */
export function citySubgraphSchema(member: Member): GraphQLSchema {
  return buildFederatedSchema({
    schema: cityBaseSchema(),
    perMemberTypes: perMemberTypes(member),
    resolvers: {
      [member.typeName]: {
        // The gateway only sends this city's references here; any other id is a routing bug, not a lookup miss.
        __resolveReference(reference: CityReference): CityReference | null {
          return reference.id === member.id ? { id: member.id } : null;
        },
      },
      Municipality: {
        __resolveType: () => member.typeName,
      },
    },
  });
}
