import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { ANNUAL_FIGURES_TABLE_DESCRIPTION, AnnualFiguresTableScalar, type AnnualFiguresTable } from '../../common/graphql/annual-figures-table';
import { Membership } from './membership.type';
import { MUNICIPALITY_DESCRIPTION, MUNICIPALITY_ID_DESCRIPTION } from '../../common/graphql/municipality.descriptions';

/**
 * A member municipality, as the forum sees it: membership facts only. Its figures come from the municipality's own
 * service; `annualFiguresTable` is declared here (@external) because forum-wide progress requires it.
 */
@Directive('@key(fields: "id")')
@ObjectType('Municipality', { description: MUNICIPALITY_DESCRIPTION })
export class Municipality {
  @Field(() => ID, { description: MUNICIPALITY_ID_DESCRIPTION })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Official name (e.g. Mülheim an der Ruhr).' })
  name!: string;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Date the city joined the forum (ISO 8601); see `membership` for how precise it is.',
  })
  memberSince!: string;

  @Field(() => Membership, { nullable: true, description: 'Membership in the forum (Mitgliedschaft).' })
  membership!: Membership;

  // Inaccessible through the city subgraph's declaration; composition refuses the directive on an external field.
  @Directive('@external')
  @Field(() => AnnualFiguresTableScalar, {
    nullable: true,
    description: ANNUAL_FIGURES_TABLE_DESCRIPTION,
  })
  annualFiguresTable?: AnnualFiguresTable | null;
}
