import { Directive, Field, Float, ObjectType } from 'type-graphql';

@Directive('@shareable')
@ObjectType({
  description:
    'How sure a survey share is (Konfidenzintervall): the range of shares consistent with the answers at the given level. Wilson score interval with a finite population correction (docs/methods.md, "Intervals").',
})
export class ShareInterval {
  @Field(() => Float, { description: 'Lower bound, 0 to 1; at most the share.' })
  lower!: number;

  @Field(() => Float, { description: 'Upper bound, 0 to 1; at least the share.' })
  upper!: number;

  @Field(() => Float, { description: 'Confidence level: 0.95.' })
  level!: number;

  @Field({ description: 'The method, in words.' })
  method!: string;
}
