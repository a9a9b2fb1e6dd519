/**
 * Each city's data is its own, down to the database. The forum and two cities start as a developer starts them, with
 * a superuser's DATABASE_URL: they make their own roles, migrate as their schema's owner and serve as their runtime
 * role. Then each runtime role is attacked directly (a pg client logging in as it; the server trusts local
 * connections, so this tests privileges, not passwords): PostgreSQL itself must refuse everything that would change
 * the record, loosen its protection or reach another service's schema. Last, the other ways a city is set up: the
 * provisioning command, the SQL it prints for a DBA, a service with only its runtime URL, add-member, and
 * docker-compose.yml's init script.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { COMPOSE_DATABASE, POSTGRES_INIT_SCRIPT, composeDatabaseServices, composeSecretVariables } from '../../schema/compose-database';
import { serviceRoles, type ServiceRoles } from '../../services/common/database-roles';
import { loadRegistry } from '../../services/common/registry';
import { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from '../support/database';
import { ROOT, ServiceProcess, distScript } from '../support/processes';
import { writeKeyFile } from '../support/tokens';

const CITIES = ['duisburg', 'essen'] as const;
const SERVICES = ['forum', ...CITIES] as const;
type Service = (typeof SERVICES)[number] | 'herne' | 'oberhausen';

/** Tables whose rows are a record: revisions, the audit log, the idempotency records, the withheld patterns; with a column to "update". */
const RECORD_TABLES: Record<'city' | 'forum', Array<[table: string, column: string]>> = {
  city: [
    ['staff_figures', 'headcount'],
    ['staff_unit_figures', 'headcount'],
    ['new_hire_figures', 'total'],
    ['trainee_figures', 'intake'],
    ['training_figures', 'completed'],
    ['audit_log', 'outcome'],
    ['idempotency_record', 'result'],
    ['withheld_pattern', 'withheld'],
  ],
  forum: [
    ['commitment_target', 'target_share'],
    ['membership_revision', 'since'],
    ['audit_log', 'outcome'],
    ['commitment', 'target_share'],
  ],
};

let database: TestDatabase;
let keysDir: string;
let superuserName: string;
const running = new Map<Service, ServiceProcess>();

const schemaOf = (service: Service) => (service === 'forum' ? 'forum' : `city_${service}`);
const rolesOf = (service: Service): ServiceRoles => serviceRoles(database.name, schemaOf(service));
const applicationNameOf = (service: Service) => (service === 'forum' ? 'forum' : `city-${service}`);
const recordTables = (service: Service) => RECORD_TABLES[service === 'forum' ? 'forum' : 'city'];

function serviceEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    GATEWAY_KEY_FILE: path.join(keysDir, 'gateway.jwk.json'),
    AUTH_LOCAL_KEY_FILE: path.join(keysDir, 'issuer.jwk.json'),
    MEMBERS_FILE: path.join(ROOT, 'schema', 'members.json'),
    HOST: '127.0.0.1',
    PORT: '0',
    DEMO_DATA: 'true',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    ...env,
  };
}

function startService(service: Service, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
  return service === 'forum'
    ? ServiceProcess.start('forum', distScript('services', 'forum', 'main.js'), [], serviceEnv(env))
    : ServiceProcess.start(service, distScript('services', 'city', 'main.js'), [service], serviceEnv(env));
}

/** The test database's URL, logged in as `role` (no password: the server trusts local connections). */
function urlAs(role: string): string {
  const url = new URL(database.url);
  url.username = role;
  url.password = '';
  return url.toString();
}

async function asRole<T>(role: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlAs(role) });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** What PostgreSQL answers `sql` run as `role`: its SQLSTATE, or 'done' if it let it through. */
function attempt(role: string, sql: string): Promise<string> {
  return asRole(role, (client) => client.query(sql).then(() => 'done', (error: { code?: string }) => error.code ?? String(error)));
}

/** Rows of every table of a service and the state of their triggers, as the superuser sees them. */
async function recordState(service: Service): Promise<Record<string, unknown>> {
  const schema = schemaOf(service);
  const state: Record<string, unknown> = {};
  for (const [table] of recordTables(service)) {
    state[table] = (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.${table}`))[0]!.n;
  }
  state.triggers = await database.query(
    `SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = $1::regnamespace AND NOT t.tgisinternal ORDER BY 1, 2`,
    [schema],
  );
  state.tables = await database.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY 1`, [schema]);
  return state;
}

/**
 * A city computes what it withholds in the background after it starts, and keeps each pattern (withheld_pattern): the
 * record of its rows is taken once that has ended, or the city's own rows would count as the attacker's (CI saw two).
 */
async function withheldPatternsKept(service: Service): Promise<void> {
  const city = running.get(service);
  if (service === 'forum' || !city) return;
  const deadline = Date.now() + 90_000;
  while (!city.output.some((line) => /withheld counts computed|computing withheld counts ahead failed/.test(line))) {
    if (Date.now() > deadline) throw new Error(`${service} did not end computing what it withholds within 90 s:\n${city.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  keysDir = mkdtempSync(path.join(tmpdir(), 'ifh-roles-keys-'));
  writeKeyFile(path.join(keysDir, 'gateway.jwk.json'));
  writeKeyFile(path.join(keysDir, 'issuer.jwk.json'));
  superuserName = (await database.query<{ name: string }>('SELECT current_user AS name'))[0]!.name;
  // All at once, as npm start and docker compose start them: provisioning must not race.
  const started = await Promise.allSettled(SERVICES.map((service) => startService(service)));
  started.forEach((result, index) => result.status === 'fulfilled' && running.set(SERVICES[index]!, result.value));
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}, 180_000);

afterAll(async () => {
  await Promise.all([...running.values()].map((service) => service.stop()));
  await database?.drop();
  if (keysDir) rmSync(keysDir, { recursive: true, force: true });
});

describe('services started with a superuser\'s URL', () => {
  it.each(SERVICES)('%s serves over connections that log in as its runtime role, and holds no other', async (service) => {
    // A health check runs a statement, so the pool has a connection open.
    expect((await fetch(new URL('/health', running.get(service)!.url))).status).toBe(200);
    const connections = await database.query<{ application_name: string; usename: string; superuser: boolean }>(
      `SELECT a.application_name, a.usename, r.rolsuper AS superuser FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
       WHERE a.datname = current_database() AND a.application_name LIKE $1`,
      [`${applicationNameOf(service)}%`],
    );
    expect(connections.length).toBeGreaterThan(0);
    // Neither the superuser's provisioning connection nor the owner's migration connection is left open.
    expect(connections).toEqual(connections.map(() => ({ application_name: applicationNameOf(service), usename: rolesOf(service).runtime, superuser: false })));
  });

  it.each(SERVICES)('%s has its schema and all in it owned by its owner, which its runtime role neither is nor can become', async (service) => {
    const { owner, runtime } = rolesOf(service);
    const owners = await database.query<{ owner: string }>(
      `SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1
       UNION SELECT relowner::regrole::text FROM pg_class WHERE relnamespace = $1::regnamespace
       UNION SELECT proowner::regrole::text FROM pg_proc WHERE pronamespace = $1::regnamespace`,
      [schemaOf(service)],
    );
    expect(owners).toEqual([{ owner }]);
    const [role] = await database.query(
      `SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication,
              (SELECT count(*)::int FROM pg_auth_members WHERE member = r.oid) AS memberships
       FROM pg_roles r WHERE rolname = $1`,
      [runtime],
    );
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolreplication: false, memberships: 0 });
  });

  it.each(CITIES)('%s wrote its demo data as its runtime role, which may read and add to its own tables', async (city) => {
    const figures = await asRole(rolesOf(city).runtime, (client) => client.query(`SELECT count(*)::int AS n FROM city_${city}.staff_figures`));
    expect(figures.rows[0].n).toBeGreaterThan(0);
  });
});

describe.each(SERVICES)('the runtime role of %s, attacked', (service) => {
  const schema = () => schemaOf(service);
  let before: Record<string, unknown>;

  beforeAll(async () => {
    await withheldPatternsKept(service);
    before = await recordState(service);
  });

  const attacks: Array<[string, () => string]> = [
    ...recordTables(service).flatMap(([table, column]): Array<[string, () => string]> => [
      [`UPDATE of ${table}`, () => `UPDATE ${schema()}.${table} SET ${column} = ${column}`],
      [`DELETE from ${table}`, () => `DELETE FROM ${schema()}.${table}`],
      [`TRUNCATE of ${table}`, () => `TRUNCATE ${schema()}.${table}`],
      [`disabling the triggers of ${table}`, () => `ALTER TABLE ${schema()}.${table} DISABLE TRIGGER ALL`],
      [`ALTER TABLE of ${table}`, () => `ALTER TABLE ${schema()}.${table} ADD COLUMN forged text`],
      [`DROP TABLE of ${table}`, () => `DROP TABLE ${schema()}.${table}`],
      ...(table === 'commitment' ? [] : [[`DROP TRIGGER of ${table}`, () => `DROP TRIGGER ${table}_append_only ON ${schema()}.${table}`] as [string, () => string]]),
    ]),
    ...(service === 'forum' ? [['adding an adopted commitment', () => `INSERT INTO forum.commitment (id) VALUES ('forged')`] as [string, () => string]] : []),
    [
      'replacing the trigger function with one that lets everything through',
      () => `CREATE OR REPLACE FUNCTION ${schema()}.refuse_change_of_submitted_figures() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    ],
    ['SET session_replication_role = replica, which switches triggers off', () => 'SET session_replication_role = replica'],
    ['CREATE TABLE in its own schema', () => `CREATE TABLE ${schema()}.forged (n int)`],
    ['CREATE TABLE in public', () => 'CREATE TABLE public.forged (n int)'],
    ['SET ROLE to its owner', () => `SET ROLE ${rolesOf(service).owner}`],
    ['SET ROLE to the superuser', () => `SET ROLE ${superuserName}`],
    ['SET SESSION AUTHORIZATION to the superuser', () => `SET SESSION AUTHORIZATION ${superuserName}`],
    ['granting itself its owner', () => `GRANT ${rolesOf(service).owner} TO ${rolesOf(service).runtime}`],
    ['making itself a superuser', () => `ALTER ROLE ${rolesOf(service).runtime} SUPERUSER`],
    ...SERVICES.filter((other) => other !== service).flatMap((other): Array<[string, () => string]> => [
      [`SELECT from ${other}'s schema`, () => `SELECT * FROM ${schemaOf(other)}.audit_log`],
      [
        `INSERT into ${other}'s audit log`,
        () =>
          `INSERT INTO ${schemaOf(other)}.audit_log (actor_subject, actor_name, actor_roles, action, target, outcome, detail)
           VALUES ('forged', 'forged', 'admin', 'forged', '{}', 'ACCEPTED', '{}')`,
      ],
      ...(other === 'forum'
        ? []
        : [[`SELECT of ${other}'s figures`, () => `SELECT * FROM ${schemaOf(other)}.staff_figures`] as [string, () => string]]),
    ]),
  ];

  it.each(attacks)('PostgreSQL refuses %s (insufficient_privilege)', async (_attack, sql) => {
    expect(await attempt(rolesOf(service).runtime, sql())).toBe('42501');
  });

  it('a grant it gives itself grants nothing', async () => {
    await asRole(rolesOf(service).runtime, async (client) => {
      await client.query(`GRANT ALL ON ALL TABLES IN SCHEMA ${schema()} TO ${rolesOf(service).runtime}`).catch(() => undefined);
      await expect(client.query(`DELETE FROM ${schema()}.audit_log`)).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('left every row, table and trigger as it was', async () => {
    expect(await recordState(service)).toEqual(before);
  });
});

describe('a restart', () => {
  it('takes back what was granted to the runtime role by hand, and changes nothing else', async () => {
    const { runtime } = rolesOf('duisburg');
    await database.query(`GRANT DELETE, TRUNCATE, UPDATE ON city_duisburg.audit_log TO ${runtime}`);
    expect(await attempt(runtime, 'SELECT 1 FROM city_duisburg.audit_log WHERE false FOR UPDATE')).toBe('done');
    const before = await recordState('duisburg');
    await running.get('duisburg')!.stop();
    running.set('duisburg', await startService('duisburg'));
    expect(await attempt(runtime, 'DELETE FROM city_duisburg.audit_log')).toBe('42501');
    expect(await attempt(runtime, 'TRUNCATE city_duisburg.audit_log')).toBe('42501');
    expect(await recordState('duisburg')).toEqual(before);
  }, 60_000);
});

/** `npm run db:provision` as a process of its own, with a superuser's DATABASE_URL and the default role names. */
function provision(databaseUrl: string, ...args: string[]): string {
  const { DATABASE_ROLE_PREFIX: _default, ...environment } = process.env;
  return execFileSync(process.execPath, [distScript('services', 'tools', 'cli', 'db-provision.js'), ...args], {
    env: { ...environment, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
}

describe('a city provisioned by the command, with the owner\'s URL apart', () => {
  const urlFrom = (output: string, variable: string) => new RegExp(`${variable}=(\\S+)`).exec(output)![1]!;
  let output: string;

  beforeAll(() => {
    output = provision(database.url, '--service', 'herne');
  });

  it('makes the roles and the schema, and prints the two URLs', async () => {
    const { owner, runtime } = rolesOf('herne');
    expect(urlFrom(output, 'DATABASE_URL_HERNE')).toContain(`//${runtime}:`);
    expect(urlFrom(output, 'DATABASE_OWNER_URL_HERNE')).toContain(`//${owner}:`);
    expect(await database.query(`SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'city_herne'`)).toEqual([{ owner }]);
  });

  it('keeps a city with only its runtime URL from starting on a schema it cannot migrate, saying why', async () => {
    await expect(startService('herne', { DATABASE_URL: urlFrom(output, 'DATABASE_URL_HERNE') })).rejects.toThrow(
      /schema city_herne is not migrated .*DATABASE_OWNER_URL/,
    );
  });

  it("refuses the owner's URL as the runtime connection", async () => {
    await expect(startService('herne', { DATABASE_URL: urlFrom(output, 'DATABASE_OWNER_URL_HERNE') })).rejects.toThrow(/owns the schema city_herne/);
  });

  it('refuses a runtime role that may create roles, since it could make itself a member of its owner', async () => {
    const { runtime } = rolesOf('herne');
    await database.query(`ALTER ROLE ${runtime} CREATEROLE`);
    try {
      await expect(startService('herne', { DATABASE_URL: urlFrom(output, 'DATABASE_URL_HERNE') })).rejects.toThrow(new RegExp(`${runtime}, which may create roles`));
    } finally {
      await database.query(`ALTER ROLE ${runtime} NOCREATEROLE`);
    }
  });

  it("migrates over the owner's URL and serves as the runtime role; later starts need only the runtime URL", async () => {
    const { owner, runtime } = rolesOf('herne');
    const herne = await startService('herne', { DATABASE_URL: urlFrom(output, 'DATABASE_URL_HERNE'), DATABASE_OWNER_URL: urlFrom(output, 'DATABASE_OWNER_URL_HERNE') });
    await herne.stop();
    expect(await database.query(`SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'city_herne'`)).toEqual([{ owner }]);
    running.set('herne', await startService('herne', { DATABASE_URL: urlFrom(output, 'DATABASE_URL_HERNE') }));
    expect(await attempt(runtime, 'DELETE FROM city_herne.staff_figures')).toBe('42501');
    expect(await attempt(runtime, 'SELECT 1 FROM city_duisburg.staff_figures')).toBe('42501');
  }, 60_000);

  it('prints the same as SQL for a DBA, which a superuser runs as it is, and again', async () => {
    const sql = provision(database.url, '--service', 'oberhausen', '--print');
    const { owner, runtime } = rolesOf('oberhausen');
    expect(sql).toContain(`DATABASE_OWNER_URL_OBERHAUSEN=postgres://${owner}:`);
    await database.query(sql);
    await database.query(sql);
    expect(await database.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname IN ($1, $2)`, [runtime, owner])).toEqual([{ n: 2 }]);
    expect(await attempt(runtime, 'CREATE TABLE city_oberhausen.forged (n int)')).toBe('42501');
  });
});

it("add-member makes the new city's roles with a superuser's URL", async () => {
  const workdir = mkdtempSync(path.join(tmpdir(), 'ifh-roles-member-'));
  try {
    const members = path.join(workdir, 'members.json');
    copyFileSync(path.join(ROOT, 'schema', 'members.json'), members);
    // prettier-ignore
    const output = execFileSync(process.execPath, [
      distScript('schema', 'add-member.js'), '--members', members, '--root', workdir, '--database-url', database.url,
      '--id', 'bottrop', '--name', 'Bottrop', '--since', '2015', '--since-source', 'Forum',
      '--population', '117000', '--population-year', '2023', '--population-note', 'Test city.',
      '--migration-share', '0.28', '--migration-share-year', '2023', '--migration-share-note', 'Test city.',
    ], { encoding: 'utf8' });
    const roles = serviceRoles(database.name, 'city_bottrop');
    expect(output).toContain(`DATABASE_URL_BOTTROP=postgres://${roles.runtime}:`);
    expect(await database.query(`SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'city_bottrop'`)).toEqual([{ owner: roles.owner }]);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
});

it('leaves no role behind when the test database is dropped', async () => {
  const scratch = await createTestDatabase();
  const output = provision(scratch.url, '--service', 'forum');
  expect(output).toContain(serviceRoles(scratch.name, 'forum').runtime);
  await scratch.drop();
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    expect((await admin.query('SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)', [`${scratch.name}_`])).rows).toEqual([]);
  } finally {
    await admin.end();
  }
});

it("docker-compose.yml's init script, run by psql as the postgres image runs it, makes every role its services log in as", async () => {
  const scratch = await createTestDatabase();
  const workdir = mkdtempSync(path.join(tmpdir(), 'ifh-roles-init-'));
  try {
    // Its role names begin with the compose database's name; here with the scratch database's, so they go with it.
    const script = path.join(workdir, 'roles.sql');
    writeFileSync(script, readFileSync(path.join(ROOT, ...POSTGRES_INIT_SCRIPT.split('/')), 'utf8').replaceAll(`${COMPOSE_DATABASE}_`, `${scratch.name}_`));
    const registry = loadRegistry();
    const passwords = Object.fromEntries(composeSecretVariables(registry).map((variable) => [variable, `secret-${variable.toLowerCase()}`]));
    // As the image's docker-entrypoint.sh runs it (psql 15 or later, for \getenv).
    const output = execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '--no-password', '-f', script, scratch.url], {
      env: { ...process.env, ...passwords },
      encoding: 'utf8',
    });
    expect(output).not.toContain('secret-');
    for (const service of composeDatabaseServices(registry)) {
      const roles = serviceRoles(scratch.name, service.schema);
      const made = await scratch.query(
        `SELECT r.rolname, r.rolcanlogin, r.rolsuper, n.nspowner::regrole::text AS schema_owner
         FROM pg_roles r LEFT JOIN pg_namespace n ON n.nspname = $1 WHERE r.rolname IN ($2, $3) ORDER BY 1`,
        [service.schema, roles.runtime, roles.owner],
      );
      expect(made).toEqual(
        [roles.runtime, roles.owner].sort().map((rolname) => ({ rolname, rolcanlogin: true, rolsuper: false, schema_owner: roles.owner })),
      );
    }
  } finally {
    rmSync(workdir, { recursive: true, force: true });
    await scratch.drop();
  }
});
