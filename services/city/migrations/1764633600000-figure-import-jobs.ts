import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaName } from '../../common/migration-helpers';

/**
 * Figure imports as jobs (docs/submissions.md#import): one row per job, its progress and its report, so that every
 * process of the city answers its status. The rows it writes are figures like any others; this table holds none.
 */
export class FigureImportJobs1764633600000 implements MigrationInterface {
  name = 'FigureImportJobs1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${schema}.figure_import_job (
        id uuid PRIMARY KEY,
        actor_subject text NOT NULL,
        idempotency_key text,
        payload_hash text NOT NULL,
        status text NOT NULL,
        rows_total integer NOT NULL,
        rows_checked integer NOT NULL DEFAULT 0,
        revisions_total integer,
        revisions_written integer NOT NULL DEFAULT 0,
        report jsonb,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One job per key and person: a retry with the same key finds the job instead of starting a second one.
    await queryRunner.query(`
      CREATE UNIQUE INDEX figure_import_job_key ON ${schema}.figure_import_job (actor_subject, idempotency_key)
        WHERE idempotency_key IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaName(queryRunner)}.figure_import_job`);
  }
}
