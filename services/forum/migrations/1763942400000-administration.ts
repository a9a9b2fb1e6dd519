import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditLogTableSql } from '../../common/audit/audit-log';
import { appendOnlyTriggerSql, refuseChangeFunctionSql, schemaName } from '../../common/migration-helpers';

/** Targets become revisioned (the adopted ones are revision 1), and the forum gets its audit log. */
export class Administration1763942400000 implements MigrationInterface {
  name = 'Administration1763942400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(refuseChangeFunctionSql(schema));
    await queryRunner.query(`
      CREATE TABLE ${schema}.commitment_target (
        id serial PRIMARY KEY,
        commitment_id varchar(64) NOT NULL REFERENCES ${schema}.commitment (id),
        revision integer NOT NULL CHECK (revision >= 1),
        target_kind varchar(32) NOT NULL CHECK (target_kind IN ('FIXED', 'POPULATION_PARITY', 'INCREASE')),
        target_share numeric(5, 4) CHECK (target_share BETWEEN 0 AND 1),
        submitted_by text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        UNIQUE (commitment_id, revision),
        CHECK ((target_kind = 'INCREASE') = (target_share IS NULL))
      )`);
    await queryRunner.query(`
      INSERT INTO ${schema}.commitment_target (commitment_id, revision, target_kind, target_share, submitted_by, submitted_at, reason)
      SELECT id, 1, target_kind, target_share, 'forum', '2010-05-28T00:00:00Z', 'As adopted'
      FROM ${schema}.commitment`);
    await queryRunner.query(appendOnlyTriggerSql(schema, 'commitment_target'));
    for (const statement of auditLogTableSql(schema)) await queryRunner.query(statement);
    await queryRunner.query(appendOnlyTriggerSql(schema, 'audit_log'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(`DROP TABLE ${schema}.audit_log`);
    await queryRunner.query(`DROP TABLE ${schema}.commitment_target`);
    await queryRunner.query(`DROP FUNCTION ${schema}.refuse_change_of_submitted_figures()`);
  }
}
