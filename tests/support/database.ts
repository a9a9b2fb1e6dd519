import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { quoteIdentifier } from '../../services/common/database-roles';

/**
 * Tests run against a real PostgreSQL server: `TEST_DATABASE_URL` (a database to connect to for creating others),
 * by default the local server as DEVELOPERS.md describes. Each test suite gets a fresh database of its own, and the
 * roles the services make in it begin with its name (services/common/database-roles.ts); both go when it is dropped.
 */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  query<Row extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ifh_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `cannot reach PostgreSQL at ${ADMIN_DATABASE_URL} (${(error as Error).message}); start it or set TEST_DATABASE_URL, see DEVELOPERS.md`,
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  let client: Client | undefined;
  return {
    url: url.toString(),
    name,
    async query(sql, params) {
      if (!client) {
        client = new Client({ connectionString: url.toString() });
        await client.connect();
      }
      return (await client.query(sql, params)).rows;
    },
    async drop() {
      await client?.end();
      const dropper = new Client({ connectionString: ADMIN_DATABASE_URL });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        // Roles belong to the server, not to the database: without this every test run would leave its roles behind.
        // Their privileges and default privileges were all in the dropped database, so nothing else holds them.
        const { rows } = await dropper.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`, [`${name}_`]);
        for (const { rolname } of rows) await dropper.query(`DROP ROLE ${quoteIdentifier(rolname)}`);
      } finally {
        await dropper.end();
      }
    },
  };
}
