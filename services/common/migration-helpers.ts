import type { QueryRunner } from 'typeorm';
import { quoteIdentifier } from './database';

/**
 * Migrations run inside the service's own schema (`city_duisburg`, `forum`), which is configuration, not code:
 * they read it from the connection and qualify every name with it.
 */
export function schemaName(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('migrations need the data source option `schema`');
  return quoteIdentifier(schema);
}

/** Rows of an append-only table can be added, never changed or removed: corrections are new revisions. */
export function appendOnlyTriggerSql(schema: string, table: string): string {
  return `
    CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${schema}.${table}
      FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse_change_of_submitted_figures();`;
}

export function refuseChangeFunctionSql(schema: string): string {
  return `
    CREATE FUNCTION ${schema}.refuse_change_of_submitted_figures() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'submitted figures are append-only: % on %.% refused (submit a new revision instead)',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END $$;`;
}
