import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TargetKind } from '../../common/graphql/target-kind.enum';

export const CommitmentMeasure = {
  STAFF_SHARE: 'STAFF_SHARE',
  TRAINEE_SHARE: 'TRAINEE_SHARE',
  JOBCENTER_INTERCULTURAL_TRAINING: 'JOBCENTER_INTERCULTURAL_TRAINING',
} as const;
export type CommitmentMeasure = (typeof CommitmentMeasure)[keyof typeof CommitmentMeasure];

registerEnumType(CommitmentMeasure, {
  name: 'CommitmentMeasure',
  description: 'What a commitment measures (Messgröße).',
  valuesConfig: {
    STAFF_SHARE: { description: 'Share of staff with a migration history (Beschäftigte mit Zuwanderungsgeschichte).' },
    TRAINEE_SHARE: { description: 'Share of new trainees with a migration history (Auszubildende).' },
    JOBCENTER_INTERCULTURAL_TRAINING: {
      description: 'Share of Jobcenter staff who completed intercultural training (interkulturelle Schulung).',
    },
  },
});

@ObjectType({ description: 'A commitment the member cities made together, with its target (Selbstverpflichtung).' })
export class Commitment {
  @Field(() => ID, { description: 'Stable id (e.g. staff-share).' })
  id!: string;

  @Field(() => CommitmentMeasure, { description: 'What the commitment measures.' })
  measure!: CommitmentMeasure;

  @Field(() => TargetKind, { description: 'How the target is set.' })
  targetKind!: TargetKind;

  @Field(() => Float, {
    nullable: true,
    description:
      "Forum-wide target share, 0 to 1, of a FIXED target. Null for INCREASE (only a rise is committed) and for POPULATION_PARITY, which is computed for each year from the reporting cities' population figures (the progress types' targetShare).",
  })
  targetShare!: number | null;

  @Field({ description: 'Title as adopted, in German (Titel).' })
  title!: string;

  @Field({ description: 'Title in English.' })
  titleEn!: string;

  @Field({ description: 'How the target is to be read.' })
  explanation!: string;

  @Field({ description: 'Where the commitment is stated (Quelle).' })
  source!: string;

  @Field(() => Int, { description: 'Revision of the target shown; 1 is the target as adopted, later ones were changed by an administrator.' })
  targetRevision!: number;
}
