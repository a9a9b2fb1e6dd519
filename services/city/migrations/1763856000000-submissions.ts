import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditLogTableSql } from '../../common/audit/audit-log';
import { appendOnlyTriggerSql, schemaName } from '../../common/migration-helpers';

export class Submissions1763856000000 implements MigrationInterface {
  name = 'Submissions1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    for (const statement of auditLogTableSql(schema)) await queryRunner.query(statement);
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
