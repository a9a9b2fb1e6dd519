import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { PopulationDefinition } from '../../common/graphql/population-definition.enum';
import { Provenance } from '../../common/graphql/provenance.type';

export { PopulationDefinition };

@Directive('@shareable')
@ObjectType({ description: "The city's population in one year (Einwohnerzahl), as published." })
export class Population {
  @Field(() => Int, { description: 'Inhabitants.' })
  count!: number;

  @Field(() => Int, { description: 'Year of the figure.' })
  year!: number;

  @Field(() => Provenance, { description: 'Where the figure comes from (census, statistical office or city register, in its source).' })
  provenance!: Provenance;
}

@Directive('@shareable')
@ObjectType({
  description:
    "The population's share with a migration history in one year, as published: the basis of POPULATION_PARITY staff targets.",
})
export class PopulationShare {
  @Field(() => Float, { description: 'Share, 0 to 1.' })
  share!: number;

  @Field(() => Int, { description: 'Year of the figure.' })
  year!: number;

  @Field(() => PopulationDefinition, { description: 'Which group the share counts.' })
  definition!: PopulationDefinition;

  @Field(() => Provenance, {
    description: "Where the figure comes from, as published. A target that uses it for an earlier year is an estimate: see StaffTarget.provenance.",
  })
  provenance!: Provenance;
}
