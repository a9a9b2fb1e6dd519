import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';

@Directive('@shareable')
@ObjectType({
  description:
    'When the city reaches its staff target at its current pace (Prognose): the least-squares trend of its last five reported years.',
})
export class StaffProjection {
  @Field(() => Float, { nullable: true, description: "The city's target share, 0 to 1." })
  targetShare!: number | null;

  @Field(() => Int, { nullable: true, description: 'The latest reported year.' })
  latestYear!: number | null;

  @Field(() => Float, { nullable: true, description: 'The share in the latest reported year.' })
  latestShare!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Slope of the trend, in percentage points per year; null with fewer than two reported years.',
  })
  yearlyChangePoints!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'First year in which the trend meets the target; null if it never does at the current pace.',
  })
  reachesTargetIn!: number | null;

  @Field(() => [Int], { description: 'The reported years the trend is fitted to (up to five).' })
  basedOnYears!: number[];
}
