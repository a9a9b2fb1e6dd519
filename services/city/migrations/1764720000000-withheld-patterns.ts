import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlyTriggerSql, schemaName } from '../../common/migration-helpers';

/** Patterns of withheld cells, kept once decided (entities/withheld-pattern.entity.ts). */
export class WithheldPatterns1764720000000 implements MigrationInterface {
  name = 'WithheldPatterns1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${schema}.withheld_pattern (
        kind text NOT NULL CHECK (kind IN ('staff', 'training')),
        revision_id integer NOT NULL,
        rules_version integer NOT NULL,
        withheld text[] NOT NULL,
        assumes_published_unchanged boolean NOT NULL,
        hides_revision boolean NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, revision_id, rules_version)
      )`);
    await queryRunner.query(appendOnlyTriggerSql(schema, 'withheld_pattern'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaName(queryRunner)}.withheld_pattern`);
  }
}
