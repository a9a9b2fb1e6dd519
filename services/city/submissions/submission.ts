/** What an HR team submits, as plain data: the GraphQL inputs and the CSV import both produce these. */

export interface SubmissionMeta {
  year: number;
  /** The revision this submission corrects; absent for the year's first submission. */
  correctsRevision?: number | null;
  /** Why: required for a correction (Begründung). */
  reason?: string | null;
  /** Where the figures come from, e.g. "Personalstatistik 31.12.2024" (Quelle). */
  source?: string | null;
  /** Makes a retried submission return the first result instead of writing twice. */
  idempotencyKey?: string | null;
}

export interface UnitStaffSubmission {
  unit: string;
  headcount: number;
  respondents?: number | null;
  withMigrationHistory?: number | null;
}

export interface StaffSubmission extends SubmissionMeta {
  headcount: number;
  respondents?: number | null;
  withMigrationHistory?: number | null;
  withForeignNationality?: number | null;
  units?: UnitStaffSubmission[] | null;
}

export interface NewHiresSubmission extends SubmissionMeta {
  total: number;
  withMigrationHistory?: number | null;
}

export interface TraineeIntakeSubmission extends SubmissionMeta {
  intake: number;
  withMigrationHistory?: number | null;
}

export interface TrainingSubmission extends SubmissionMeta {
  unit: string;
  staffInScope: number;
  completed: number;
}

export type SubmissionKind = 'staff' | 'newHires' | 'traineeIntake' | 'training';

export type AnySubmission =
  | { kind: 'staff'; input: StaffSubmission }
  | { kind: 'newHires'; input: NewHiresSubmission }
  | { kind: 'traineeIntake'; input: TraineeIntakeSubmission }
  | { kind: 'training'; input: TrainingSubmission };
