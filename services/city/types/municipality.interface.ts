import { Field, ID, InterfaceType } from 'type-graphql';
import { MUNICIPALITY_DESCRIPTION, MUNICIPALITY_ID_DESCRIPTION } from '../../common/graphql/municipality.descriptions';

/**
 * A member city, as its own subgraph sees it. Each city's subgraph implements it with one entity type of its
 * own (`Duisburg`, `Bochum`, ...), so that the gateway sends each city's fields to that city's service.
 * The field resolvers live in `resolvers/municipality.resolver.ts`.
 */
@InterfaceType('Municipality', { description: MUNICIPALITY_DESCRIPTION })
export abstract class Municipality {
  @Field(() => ID, { description: MUNICIPALITY_ID_DESCRIPTION })
  id!: string;
}
