import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlyTriggerSql, schemaName } from '../../common/migration-helpers';

export class Membership1764028800000 implements MigrationInterface {
  name = 'Membership1764028800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${schema}.membership_revision (
        id serial PRIMARY KEY,
        member_id varchar(64) NOT NULL,
        revision integer NOT NULL CHECK (revision >= 1),
        since varchar(10) NOT NULL CHECK (since ~ '^\\d{4}-\\d{2}-\\d{2}$'),
        precision varchar(4) NOT NULL CHECK (precision IN ('DAY', 'YEAR')),
        provenance_kind varchar(16) NOT NULL CHECK (provenance_kind IN ('OFFICIAL', 'ESTIMATE')),
        source text,
        note text,
        submitted_by text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        UNIQUE (member_id, revision)
      )`);
    await queryRunner.query(appendOnlyTriggerSql(schema, 'membership_revision'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaName(queryRunner)}.membership_revision`);
  }
}
