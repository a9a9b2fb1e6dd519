import { ArgsType, Field, ID, Int } from 'type-graphql';

@ArgsType()
export class YearArgs {
  @Field(() => Int, { description: 'Calendar year (Berichtsjahr).' })
  year!: number;
}

@ArgsType()
export class YearRangeArgs {
  @Field(() => Int, { nullable: true, description: 'First year (inclusive); default: the earliest reported.' })
  from?: number | null;

  @Field(() => Int, { nullable: true, description: 'Last year (inclusive); default: the latest reported.' })
  to?: number | null;
}

@ArgsType()
export class UnitYearArgs extends YearArgs {
  @Field(() => String, { nullable: true, description: 'Only this organisational unit (e.g. jobcenter).' })
  unit?: string | null;
}

@ArgsType()
export class UnitYearRangeArgs extends YearRangeArgs {
  @Field(() => String, { nullable: true, description: 'Only this organisational unit (e.g. jobcenter).' })
  unit?: string | null;
}

@ArgsType()
export class AuditLogArgs {
  @Field(() => Int, { defaultValue: 100, description: 'How many entries, at most 1000.' })
  limit!: number;

  @Field(() => ID, { nullable: true, description: 'Entries older than this id (the last id of the previous page).' })
  before?: string | null;
}
