import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { authChecker } from '../common/auth/auth-checker';
import { buildFederatedSchema, type MemberStamp } from '../common/subgraph-schema';
import { memberTypeDescription, type Member } from '../common/registry';
import type { CityReference } from './context';
import { MunicipalityHistoryResolver, MunicipalityResolver, StaffFiguresResolver } from './resolvers/municipality.resolver';
import { PopulationResolver } from './resolvers/population.resolver';
import { StaffUncertaintyResolver, UnitStaffUncertaintyResolver } from './resolvers/staff-uncertainty.resolver';
import { SubmissionsResolver } from './resolvers/submissions.resolver';
import { CityTemplate } from './types/city.type';

let baseSchema: GraphQLSchema | undefined;

/** The city subgraph as type-graphql builds it: the same for every city, with the template still in place. */
function cityBaseSchema(): GraphQLSchema {
  baseSchema ??= buildSchemaSync({
    resolvers: [
      MunicipalityResolver,
      MunicipalityHistoryResolver,
      StaffFiguresResolver,
      PopulationResolver,
      StaffUncertaintyResolver,
      UnitStaffUncertaintyResolver,
      SubmissionsResolver,
    ],
    orphanedTypes: [CityTemplate],
    skipCheck: true,
    authChecker,
  });
  return baseSchema;
}

const stampFor = (member: Member): MemberStamp => ({
  types: {
    CityTemplate: [{ typeName: member.typeName, description: memberTypeDescription(member) }],
    CitySubmissionsTemplate: [
      { typeName: `${member.typeName}Submissions`, description: `Submissions of ${member.name}'s HR team (Meldungen der Personalabteilung).` },
    ],
  },
  rootFields: {
    Mutation: {
      cityTemplate: {
        name: member.id,
        description: `${member.name}: submit and correct its figures. Served by its own subgraph "${member.id}"; only its HR team may write.`,
      },
    },
  },
});


/** One city's executable subgraph: its entity type carries the city's own type name. */
export function citySubgraphSchema(member: Member): GraphQLSchema {
  return buildFederatedSchema({
    schema: cityBaseSchema(),
    stamp: stampFor(member),
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
