import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { authChecker } from '../common/auth/auth-checker';
import { buildFederatedSchema } from '../common/subgraph-schema';
import type { CityContext, CityReference } from './context';
import { MunicipalityHistoryResolver, MunicipalityResolver, StaffFiguresResolver } from './resolvers/municipality.resolver';
import { PopulationResolver } from './resolvers/population.resolver';
import { StaffUncertaintyResolver, UnitStaffUncertaintyResolver } from './resolvers/staff-uncertainty.resolver';
import { SubmissionsResolver } from './resolvers/submissions.resolver';
import { FigureImportJobResolver, StartFigureImportResolver } from './resolvers/figure-import-jobs.resolver';
import { Municipality } from './types/municipality.type';

let citySchema: GraphQLSchema | undefined;

/**
 * The city subgraph: one schema for every member, whose service answers for its own municipality only. The hub
 * routes each `Municipality` representation and each write to the service of its `id` (docs/routing.md), so the
 * supergraph holds the one city subgraph whatever the number of members.
 */
export function citySubgraphSchema(): GraphQLSchema {
  citySchema ??= buildFederatedSchema({
    schema: buildSchemaSync({
      resolvers: [
        MunicipalityResolver,
        MunicipalityHistoryResolver,
        StaffFiguresResolver,
        PopulationResolver,
        StaffUncertaintyResolver,
        UnitStaffUncertaintyResolver,
        SubmissionsResolver,
        StartFigureImportResolver,
        FigureImportJobResolver,
      ],
      // No field of the city's own returns the entity: the gateway reaches it through _entities.
      orphanedTypes: [Municipality],
      skipCheck: true,
      authChecker,
    }),
    resolvers: {
      Municipality: {
        // A router sends a service only its own municipality's references; another id is not this service's to
        // answer, and null (the entity is unknown here) is what the router reports as NOT_FOUND.
        __resolveReference(reference: CityReference, context: CityContext): CityReference | null {
          return reference.id === context.member.id ? { id: reference.id } : null;
        },
      },
    },
  });
  return citySchema;
}
