import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ImportJobStatus as DomainImportJobStatus } from '../../domain/import-jobs';
import { ImportReport } from './submission-results.type';

export const FigureImportJobStatus = {
  CHECKING: 'CHECKING',
  WRITING: 'WRITING',
  SUCCEEDED: 'SUCCEEDED',
  REFUSED: 'REFUSED',
  FAILED: 'FAILED',
} as const satisfies Record<DomainImportJobStatus, DomainImportJobStatus>;
export type FigureImportJobStatus = (typeof FigureImportJobStatus)[keyof typeof FigureImportJobStatus];

registerEnumType(FigureImportJobStatus, {
  name: 'FigureImportJobStatus',
  description: 'Where a figure import stands (Stand des Imports). SUCCEEDED, REFUSED and FAILED are final.',
  valuesConfig: {
    CHECKING: { description: 'Its rows are being checked; nothing is written yet (wird geprüft).' },
    WRITING: { description: 'Every row passed; they are being written, all in one transaction (wird geschrieben).' },
    SUCCEEDED: { description: 'Every row was written, and answers read before are no longer served (importiert).' },
    REFUSED: { description: 'A row was refused: nothing was written; the report lists every refused row (abgelehnt).' },
    FAILED: {
      description: 'Cut off (the service stopped, or its database failed): nothing was written. Starting it again with the same key starts a new job (abgebrochen).',
    },
  },
});

@Directive('@shareable')
@ObjectType({
  description:
    'A CSV import of figures running as a job (Importauftrag): accepted at once, checked and written in the background, all rows or none. Only the city\'s HR team sees it.',
})
export class FigureImportJob {
  @Field(() => ID, { description: 'The job, to ask for it again with Municipality.figureImportJob.' })
  id!: string;

  @Field(() => FigureImportJobStatus, { description: 'Where it stands.' })
  status!: FigureImportJobStatus;

  @Field(() => Int, { description: 'Data rows in the file.' })
  rowsTotal!: number;

  @Field(() => Int, { description: 'Rows checked so far; noted every few hundred rows, so it moves in steps.' })
  rowsChecked!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Revisions the file makes (a staff row with its unit rows is one); null until every row passed the checks.',
  })
  revisionsTotal!: number | null;

  @Field(() => Int, { description: 'Revisions written so far, in the transaction: none of them is seen by readers before the job SUCCEEDED.' })
  revisionsWritten!: number;

  @Field({ description: 'When the job was accepted.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it ended; null while it runs.' })
  finishedAt!: Date | null;

  @Field(() => ImportReport, { nullable: true, description: 'The report, once the job SUCCEEDED or was REFUSED; null while it runs and when it FAILED.' })
  report!: ImportReport | null;

  @Field({ description: 'True when a start with the same idempotency key found this job instead of starting another: nothing new is written.' })
  replayed!: boolean;
}
