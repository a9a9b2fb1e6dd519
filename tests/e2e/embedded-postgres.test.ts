/**
 * The embedded PostgreSQL server (PGlite over the wire protocol, its own process as under `npm start`) with many
 * `pg` connections at once: every query gets its own answer, transactions stay isolated, the services' migrations
 * run on it, and each connection is held to the privileges of the role it logged in as.
 */
import { Client, Pool } from 'pg';
import { openCityDatabaseForTest } from '../support/city-database';
import { ServiceProcess, distScript } from '../support/processes';

let server: ServiceProcess;
let url: string;

beforeAll(async () => {
  server = await ServiceProcess.start('embedded-postgres', distScript('services', 'tools', 'embedded-postgres', 'main.js'), [], {
    EMBEDDED_DB_DIR: 'memory://',
    EMBEDDED_DB_PORT: '0',
    LOG_LEVEL: 'info',
  });
  url = server.url;
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

it('answers each of many concurrent parameterised queries with its own result', async () => {
  const pools = Array.from({ length: 6 }, () => new Pool({ connectionString: url, max: 4 }));
  try {
    const results = await Promise.all(
      pools.flatMap((pool, poolIndex) =>
        Array.from({ length: 60 }, async (_, index) => {
          const n = poolIndex * 1000 + index;
          const { rows } = await pool.query('SELECT $1::int AS n, $2::text AS label, $3::int + 1 AS next', [n, `q${n}`, n]);
          return rows[0].n === n && rows[0].label === `q${n}` && rows[0].next === n + 1;
        }),
      ),
    );
    expect(results.filter((correct) => !correct)).toEqual([]);
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
});

it('keeps a transaction to its connection until it ends', async () => {
  const writer = new Client({ connectionString: url });
  const reader = new Client({ connectionString: url });
  await writer.connect();
  await reader.connect();
  try {
    await writer.query('CREATE TABLE isolation_probe (n int)');
    await writer.query('BEGIN');
    await writer.query('INSERT INTO isolation_probe VALUES (1)');
    // The reader waits for the writer's transaction rather than running inside it.
    const read = reader.query('SELECT count(*)::int AS n FROM isolation_probe');
    await writer.query('ROLLBACK');
    expect((await read).rows[0].n).toBe(0);
  } finally {
    await writer.end();
    await reader.end();
  }
});

it('rolls back what a vanished connection left open', async () => {
  const leaver = new Client({ connectionString: url });
  leaver.on('error', () => undefined); // its connection is cut on purpose
  await leaver.connect();
  await leaver.query('CREATE TABLE leaver_probe (n int)');
  await leaver.query('BEGIN');
  await leaver.query('INSERT INTO leaver_probe VALUES (1)');
  (leaver as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  const other = new Client({ connectionString: url });
  await other.connect();
  expect((await other.query('SELECT count(*)::int AS n FROM leaver_probe')).rows[0].n).toBe(0);
  await other.end();
});

it("runs a city's migrations as its owner, and serves it as its runtime role", async () => {
  const dataSource = await openCityDatabaseForTest(url, 'city_embedded');
  const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'city_embedded' ORDER BY 1`);
  const [who] = await dataSource.query('SELECT current_user AS role, session_user AS session');
  await dataSource.destroy();
  expect(tables.map((row: { table_name: string }) => row.table_name)).toEqual([
    'audit_log', 'figure_import_job', 'idempotency_record', 'new_hire_figures', 'organisational_unit', 'schema_migrations', 'staff_figures', 'staff_unit_figures',
    'trainee_figures', 'training_figures', 'withheld_pattern',
  ]);
  expect(who).toEqual({ role: 'postgres_city_embedded_app', session: 'postgres_city_embedded_app' });
  const owners = await withClient(url, (client) =>
    client.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'city_embedded'`).then((result) => result.rows),
  );
  expect(owners).toEqual([{ tableowner: 'postgres_city_embedded_owner' }]);
});

it('holds each connection to the privileges of the role it logged in as, whatever the connection before it was', async () => {
  const runtime = new URL(url);
  runtime.username = 'postgres_city_embedded_app';
  const superuser = new Client({ connectionString: url });
  const app = new Client({ connectionString: runtime.toString() });
  await superuser.connect();
  await app.connect();
  try {
    // Taking turns in PGlite's one session: each statement runs as its own connection's role.
    for (let turn = 0; turn < 3; turn += 1) {
      expect((await superuser.query('SELECT current_user AS role')).rows[0].role).toBe('postgres');
      expect((await app.query('SELECT current_user AS role')).rows[0].role).toBe('postgres_city_embedded_app');
      await expect(app.query('DELETE FROM city_embedded.audit_log')).rejects.toMatchObject({ code: '42501' });
      await expect(app.query('SET session_replication_role = replica')).rejects.toMatchObject({ code: '42501' });
      await expect(app.query('CREATE TABLE public.intruder (n int)')).rejects.toMatchObject({ code: '42501' });
      expect((await superuser.query('SELECT count(*)::int AS n FROM city_embedded.audit_log')).rows[0].n).toBe(0);
    }
  } finally {
    await app.end();
    await superuser.end();
  }
});

it('refuses a connection as a role that does not exist, as a server does', async () => {
  const stranger = new URL(url);
  stranger.username = 'nobody_at_all';
  const client = new Client({ connectionString: stranger.toString() });
  await expect(client.connect()).rejects.toMatchObject({ code: '28000', message: 'role "nobody_at_all" does not exist' });
});

async function withClient<T>(connectionString: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

it('stops cleanly when asked', async () => {
  await server.stop('SIGTERM');
  expect(await server.exited).toBe(0);
});
