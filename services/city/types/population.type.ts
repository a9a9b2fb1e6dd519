import { Directive, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Provenance } from '../../common/graphql/provenance.type';

export const PopulationDefinition = {
  MIGRATION_BACKGROUND: 'MIGRATION_BACKGROUND',
  IMMIGRATION_HISTORY: 'IMMIGRATION_HISTORY',
} as const;
export type PopulationDefinition = (typeof PopulationDefinition)[keyof typeof PopulationDefinition];

registerEnumType(PopulationDefinition, {
  name: 'PopulationDefinition',
  description: 'Which group a population share counts; the two are not the same and should not be mixed unmarked.',
  valuesConfig: {
    MIGRATION_BACKGROUND: {
      description: 'Migrationshintergrund (Mikrozensus, city registers): the person or a parent was born without German nationality.',
    },
    IMMIGRATION_HISTORY: {
      description: 'Zuwanderungsgeschichte (Zensus 2022): the person or both parents immigrated to Germany since 1950.',
    },
  },
});

@Directive('@shareable')
@ObjectType({ description: "The city's population (Einwohnerzahl)." })
export class Population {
  @Field(() => Int, { description: 'Inhabitants.' })
  count!: number;

  @Field(() => Int, { description: 'Year of the figure.' })
  year!: number;

  @Field(() => Provenance, { description: 'Where the figure comes from.' })
  provenance!: Provenance;
}

@Directive('@shareable')
@ObjectType({
  description: "The population's share with a migration history: the basis of a POPULATION_PARITY staff target.",
})
export class PopulationShare {
  @Field(() => Float, { description: 'Share, 0 to 1.' })
  share!: number;

  @Field(() => Int, { description: 'Year of the figure.' })
  year!: number;

  @Field(() => PopulationDefinition, { description: 'Which group the share counts.' })
  definition!: PopulationDefinition;

  @Field(() => Provenance, { description: 'Where the figure comes from.' })
  provenance!: Provenance;
}
