import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { ANNUAL_FIGURES_FIELD_DESCRIPTION, AnnualFigures } from '../../common/graphql/annual-figures.type';
import { Membership } from './membership.type';
import { MUNICIPALITY_DESCRIPTION, MUNICIPALITY_ID_DESCRIPTION } from '../../common/graphql/municipality.descriptions';

/**
 * A member municipality, as the forum sees it: membership facts only. Its figures come from the municipality's own
 * service; `annualFigures` is declared here (@external) because forum-wide progress requires it.
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

  @Directive('@external')
  @Field(() => [AnnualFigures], {
    nullable: true,
    description: ANNUAL_FIGURES_FIELD_DESCRIPTION,
  })
  annualFigures?: AnnualFigures[] | null;
}
