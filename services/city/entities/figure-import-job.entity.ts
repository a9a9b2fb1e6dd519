import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ImportJobStatus } from '../../domain/import-jobs';
import type { ImportReport } from '../submissions/submissions.service';

/** A figure import running or done (docs/submissions.md#import): its progress while it runs, its report once it ended. */
@Entity({ name: 'figure_import_job' })
export class FigureImportJobRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Who started it: only the city's HR team may, and a key is theirs alone. */
  @Column({ name: 'actor_subject', type: 'text' })
  actorSubject!: string;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** SHA-256 of the file and the reason: a retry with the same key and another file is refused. */
  @Column({ name: 'payload_hash', type: 'text' })
  payloadHash!: string;

  @Column({ type: 'text' })
  status!: ImportJobStatus;

  @Column({ name: 'rows_total', type: 'integer' })
  rowsTotal!: number;

  @Column({ name: 'rows_checked', type: 'integer', default: 0 })
  rowsChecked!: number;

  /** Revisions the file makes once every row passed (a staff row with its unit rows is one); null until then. */
  @Column({ name: 'revisions_total', type: 'integer', nullable: true })
  revisionsTotal!: number | null;

  @Column({ name: 'revisions_written', type: 'integer', default: 0 })
  revisionsWritten!: number;

  @Column({ type: 'jsonb', nullable: true })
  report!: ImportReport | null;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** Last sign of life of the process running it: a job silent too long was cut off (services/domain/import-jobs.ts). */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', default: () => 'now()' })
  heartbeatAt!: Date;
}
