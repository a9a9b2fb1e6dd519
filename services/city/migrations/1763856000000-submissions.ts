import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlyTriggerSql, schemaName } from '../../common/migration-helpers';

export class Submissions1763856000000 implements MigrationInterface {
  name = 'Submissions1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${schema}.audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_subject text NOT NULL,
        actor_name text NOT NULL,
        actor_roles text NOT NULL,
        action text NOT NULL,
        target jsonb NOT NULL,
        outcome varchar(16) NOT NULL CHECK (outcome IN ('ACCEPTED', 'REPLAYED', 'REFUSED', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED')),
        detail jsonb NOT NULL,
        idempotency_key text
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_at ON ${schema}.audit_log (at DESC)`);
    await queryRunner.query(appendOnlyTriggerSql(schema, 'audit_log'));
    await queryRunner.query(`
      CREATE TABLE ${schema}.idempotency_record (
        actor_subject text NOT NULL,
        key text NOT NULL,
        operation text NOT NULL,
        payload_hash text NOT NULL,
        result jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor_subject, key)
      )`);
    await queryRunner.query(appendOnlyTriggerSql(schema, 'idempotency_record'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(`DROP TABLE ${schema}.idempotency_record`);
    await queryRunner.query(`DROP TABLE ${schema}.audit_log`);
  }
}
