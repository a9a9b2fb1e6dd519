import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlyTriggerSql, refuseChangeFunctionSql, schemaName } from '../../common/migration-helpers';

const revisionColumns = `
  year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  revision integer NOT NULL CHECK (revision >= 1),
  provenance_kind varchar(16) NOT NULL CHECK (provenance_kind IN ('OFFICIAL', 'SUBMITTED', 'ESTIMATE')),
  provenance_source text,
  provenance_note text,
  submitted_by text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  reason text`;

const count = (column: string) => `${column} integer CHECK (${column} >= 0)`;

export class CityFigures1763769600000 implements MigrationInterface {
  name = 'CityFigures1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${schema}.organisational_unit (
        id varchar(64) PRIMARY KEY,
        name_de text NOT NULL,
        name_en text NOT NULL,
        is_jobcenter boolean NOT NULL DEFAULT false
      )`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.staff_figures (
        id serial PRIMARY KEY,
        ${revisionColumns},
        ${count('headcount')},
        ${count('respondents')},
        ${count('with_migration_history')},
        ${count('with_foreign_nationality')},
        UNIQUE (year, revision),
        CHECK (respondents <= headcount),
        CHECK (with_migration_history <= respondents)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.staff_unit_figures (
        id serial PRIMARY KEY,
        staff_figures_id integer NOT NULL REFERENCES ${schema}.staff_figures (id),
        unit_id varchar(64) NOT NULL REFERENCES ${schema}.organisational_unit (id),
        ${count('headcount')},
        ${count('respondents')},
        ${count('with_migration_history')},
        UNIQUE (staff_figures_id, unit_id),
        CHECK (respondents <= headcount),
        CHECK (with_migration_history <= respondents)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.new_hire_figures (
        id serial PRIMARY KEY,
        ${revisionColumns},
        ${count('total')},
        ${count('with_migration_history')},
        UNIQUE (year, revision),
        CHECK (with_migration_history <= total)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.trainee_figures (
        id serial PRIMARY KEY,
        ${revisionColumns},
        ${count('intake')},
        ${count('with_migration_history')},
        UNIQUE (year, revision),
        CHECK (with_migration_history <= intake)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.training_figures (
        id serial PRIMARY KEY,
        ${revisionColumns},
        unit_id varchar(64) NOT NULL REFERENCES ${schema}.organisational_unit (id),
        ${count('staff_in_scope')},
        ${count('completed')},
        UNIQUE (year, unit_id, revision),
        CHECK (completed <= staff_in_scope)
      )`);
    await queryRunner.query(refuseChangeFunctionSql(schema));
    for (const table of ['staff_figures', 'staff_unit_figures', 'new_hire_figures', 'trainee_figures', 'training_figures']) {
      await queryRunner.query(appendOnlyTriggerSql(schema, table));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    for (const table of ['training_figures', 'trainee_figures', 'new_hire_figures', 'staff_unit_figures', 'staff_figures', 'organisational_unit']) {
      await queryRunner.query(`DROP TABLE ${schema}.${table}`);
    }
    await queryRunner.query(`DROP FUNCTION ${schema}.refuse_change_of_submitted_figures()`);
  }
}
