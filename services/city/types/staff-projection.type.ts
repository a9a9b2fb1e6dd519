import { Directive, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ProjectionStatus as DomainProjectionStatus } from '../../domain/projection';

export const ProjectionStatus = {
  ALREADY_MET: 'ALREADY_MET',
  FALLS_BELOW: 'FALLS_BELOW',
  REACHES: 'REACHES',
  NEVER: 'NEVER',
  UNKNOWN: 'UNKNOWN',
} as const satisfies Record<DomainProjectionStatus, DomainProjectionStatus>;
export type ProjectionStatus = (typeof ProjectionStatus)[keyof typeof ProjectionStatus];

registerEnumType(ProjectionStatus, {
  name: 'ProjectionStatus',
  description:
    'What the trend of the last five reported years says about the target (Trendaussage). It describes the trend; StaffFigures.targetStatus judges the latest figure, and the two can differ.',
  valuesConfig: {
    ALREADY_MET: { description: 'The trend meets the target in the latest reported year and is not falling (bereits erreicht).' },
    FALLS_BELOW: {
      description: 'The trend meets the target in the latest reported year but is falling: at this pace it drops below (fällt unter das Ziel).',
    },
    REACHES: { description: 'The trend is below the target in the latest reported year and rising: reachesTargetIn says when it meets it.' },
    NEVER: { description: 'The trend is below the target in the latest reported year and not rising: at this pace it never meets it.' },
    UNKNOWN: { description: 'Fewer than two reported years with a share, or no target: no trend to judge.' },
  },
});

@Directive('@shareable')
@ObjectType({
  description:
    'When the city reaches its staff target at its current pace (Prognose): the least-squares trend of its last five reported years, judged against the target of the latest reported year.',
})
export class StaffProjection {
  @Field(() => Float, { nullable: true, description: "The city's target share for the latest reported year, 0 to 1." })
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

  @Field(() => ProjectionStatus, { description: 'What the trend says about the target.' })
  status!: ProjectionStatus;

  @Field(() => Int, {
    nullable: true,
    description:
      'With status REACHES: the first year after the latest reported year in which the trend meets the target. Null otherwise: the trend meets it already (ALREADY_MET, FALLS_BELOW) or never will (NEVER), or cannot tell (UNKNOWN).',
  })
  reachesTargetIn!: number | null;

  @Field(() => [Int], { description: 'The reported years the trend is fitted to (up to five).' })
  basedOnYears!: number[];
}
