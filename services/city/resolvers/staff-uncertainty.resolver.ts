import { FieldResolver, Resolver, Root } from 'type-graphql';
import { judgeTarget, STAFF_SHARE_INTERVAL_METHOD, staffShareInterval } from '../../domain/intervals';
import { TargetStatus } from '../../common/graphql/target-status.enum';
import type { StaffFiguresWithoutUnits } from '../figures';
import { ShareInterval } from '../types/share-interval.type';
import { StaffFigures, UnitStaffFigures } from '../types/staff-figures.type';

type SurveyCounts = Pick<StaffFigures, 'headcount' | 'respondents' | 'withMigrationHistory'>;

const PLAIN_WILSON_METHOD = 'Wilson score interval, 95 %, without finite population correction: the headcount is not recorded';

/**
 * A city's interval. A city that surveyed its staff without recording its headcount still gets the plain Wilson
 * interval: without N there is no correction, and the interval is only wider for it.
 */
function cityIntervalOf({ headcount, respondents, withMigrationHistory }: SurveyCounts): ShareInterval | null {
  const interval = staffShareInterval(withMigrationHistory, respondents, headcount);
  return interval && { ...interval, method: headcount == null ? PLAIN_WILSON_METHOD : STAFF_SHARE_INTERVAL_METHOD };
}

/**
 * A unit's interval, from the counts as this reader sees them: wherever a count is withheld from the reader (null),
 * there is no interval, as the query contract requires, so that an interval never stands in for what suppression hides.
 */
function unitIntervalOf({ headcount, respondents, withMigrationHistory }: SurveyCounts): ShareInterval | null {
  if (headcount == null || respondents == null || withMigrationHistory == null) return null;
  return cityIntervalOf({ headcount, respondents, withMigrationHistory });
}

const INTERVAL_DESCRIPTION =
  'The 95 % interval of the share: Wilson score interval with the finite population correction (N - n) / (N - 1), n respondents of N staff (docs/methods.md). Equal to the share when every member of staff answered.';

/** How sure a staff share is, and whether it meets its target allowing for that (query contract, "Uncertainty and targets"). */
@Resolver(() => StaffFigures)
export class StaffUncertaintyResolver {
  @FieldResolver(() => ShareInterval, {
    nullable: true,
    description: `${INTERVAL_DESCRIPTION} Null where the share is null; without a recorded headcount, the plain Wilson interval (method says so).`,
  })
  shareInterval(@Root() staff: StaffFiguresWithoutUnits): ShareInterval | null {
    return cityIntervalOf(staff);
  }

  @FieldResolver(() => TargetStatus, {
    description:
      "The share judged against this year's target with its interval: MET when the lower bound reaches the target, NOT_MET when even the upper bound falls short, UNCERTAIN in between, UNKNOWN without interval or target.",
  })
  targetStatus(@Root() staff: StaffFiguresWithoutUnits): TargetStatus {
    return judgeTarget(cityIntervalOf(staff), staff.target?.share);
  }
}

@Resolver(() => UnitStaffFigures)
export class UnitStaffUncertaintyResolver {
  @FieldResolver(() => ShareInterval, {
    nullable: true,
    description: `${INTERVAL_DESCRIPTION} Null wherever a count behind it (headcount, respondents, withMigrationHistory) is withheld or not recorded.`,
  })
  shareInterval(@Root() unit: UnitStaffFigures): ShareInterval | null {
    return unitIntervalOf(unit);
  }
}
