import { Field, ID, InterfaceType } from 'type-graphql';

/**
 * A member city, as its own subgraph sees it. Each city's subgraph implements it with one entity type of its
 * own (`Duisburg`, `Bochum`, ...), so that the gateway sends each city's fields to that city's service.
 * The field resolvers live in `resolvers/municipality.resolver.ts`.
 */
@InterfaceType('Municipality', {
  description:
    'A member city of the forum (Mitgliedsstadt). Each city is its own type (Duisburg, Bochum, ...) served by its own subgraph; ask the common fields here, or use `... on Duisburg` for one city.',
})
export abstract class Municipality {
  @Field(() => ID, { description: 'Stable id, lower case (e.g. duisburg, muelheim).' })
  id!: string;
}
