import { Directive, Field, ObjectType } from 'type-graphql';
import { ANNUAL_FIGURES_FIELD_DESCRIPTION, AnnualFigures } from '../../common/graphql/annual-figures.type';
import { Municipality } from './municipality.interface';

/**
 * Template of the per-city types in the forum subgraph: one copy per registry member, named by its
 * `typeName` (see `services/common/subgraph-schema.ts`). The forum resolves membership fields; the city's own
 * subgraph resolves its figures, which the forum only reads through @requires.
 */
@Directive('@key(fields: "id")')
@ObjectType('MemberTemplate', { implements: Municipality })
export class MemberTemplate extends Municipality {
  @Directive('@external')
  @Field(() => [AnnualFigures], {
    nullable: true,
    description: ANNUAL_FIGURES_FIELD_DESCRIPTION,
  })
  declare annualFigures?: AnnualFigures[] | null;
}
