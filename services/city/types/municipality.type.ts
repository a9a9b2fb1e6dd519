import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { MUNICIPALITY_DESCRIPTION, MUNICIPALITY_ID_DESCRIPTION } from '../../common/graphql/municipality.descriptions';

/**
 * A member municipality, as its own service sees it: the one entity type every member is, keyed by `id`, by which
 * the hub routes each representation to the municipality's service (docs/routing.md). The field resolvers live in
 * `resolvers/municipality.resolver.ts`.
 */
@Directive('@key(fields: "id")')
@ObjectType('Municipality', { description: MUNICIPALITY_DESCRIPTION })
export class Municipality {
  @Field(() => ID, { description: MUNICIPALITY_ID_DESCRIPTION })
  id!: string;
}
