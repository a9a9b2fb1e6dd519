/**
 * The embedded PostgreSQL server (PGlite over the wire protocol, its own process as under `npm start`) with many
 * `pg` connections at once: every query gets its own answer, transactions stay isolated, and the services'
 * migrations run on it.
 */
import { Client, Pool } from 'pg';
import { openCityDatabaseForTest } from '../support/city-database';
import { ServiceProcess, distScript } from '../support/processes';

let server: ServiceProcess;
let url: string;

beforeAll(async () => {
  server = await ServiceProcess.start('embedded-postgres', distScript('services', 'embedded-postgres', 'main.js'), [], {
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

it("runs a city's migrations", async () => {
  const dataSource = await openCityDatabaseForTest(url, 'city_embedded');
  const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'city_embedded' ORDER BY 1`);
  await dataSource.destroy();
  expect(tables.map((row: { table_name: string }) => row.table_name)).toEqual([
    'audit_log', 'idempotency_record', 'new_hire_figures', 'organisational_unit', 'schema_migrations', 'staff_figures', 'staff_unit_figures',
    'trainee_figures', 'training_figures',
  ]);
});

it('stops cleanly when asked', async () => {
  await server.stop('SIGTERM');
  expect(await server.exited).toBe(0);
});
