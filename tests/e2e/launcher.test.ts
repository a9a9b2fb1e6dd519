/**
 * `npm start` on a machine without a database server: the launcher brings embedded PostgreSQL, the demo data,
 * every subgraph, the identity provider and the gateway, says where to find it and who may sign in, and stops
 * everything on Ctrl-C.
 * Runs the compiled launcher on ports of its own (a copy of the registry with shifted ports).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ForumProgressData } from '../support/contract-types';
import { contractOperation } from '../support/federation';
import { ROOT, distScript } from '../support/processes';

// Below the ephemeral range (32768 and up), where outgoing connections could hold a port at any moment.
const base = 20_000 + Math.floor(Math.random() * 12_000);
const ports = { gateway: base, database: base + 1, forum: base + 2, identityProvider: base + 3 };
let workdir: string;
let launcher: ChildProcess;
let output = '';
let exited: Promise<number | null>;
let launcherEnv: NodeJS.ProcessEnv;
const memberPorts: number[] = [];

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  workdir = mkdtempSync(path.join(tmpdir(), 'ifh-launcher-'));
  const registry = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'members.json'), 'utf8'));
  registry.forum.port = ports.forum;
  registry.members.forEach((member: { port: number }, index: number) => {
    member.port = base + 10 + index;
    memberPorts.push(member.port);
  });
  const membersFile = path.join(workdir, 'members.json');
  writeFileSync(membersFile, JSON.stringify(registry));

  const { DATABASE_URL: _ignored, ...environment } = process.env;
  launcherEnv = {
    ...environment,
    MEMBERS_FILE: membersFile,
    PORT: String(ports.gateway),
    EMBEDDED_DB_PORT: String(ports.database),
    EMBEDDED_DB_DIR: path.join(workdir, 'data'),
    // Its own port and data directory: the defaults (4010, .data/identity-provider) are the developer's `npm start`.
    IDP_PORT: String(ports.identityProvider),
    IDP_DATA_DIR: path.join(workdir, 'identity-provider'),
  };
  launcher = spawn(process.execPath, [distScript('services', 'tools', 'launcher', 'main.js')], { env: launcherEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolve) => launcher.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Integration Forum Hub is running')) resolve();
    };
    launcher.stdout!.on('data', onData);
    launcher.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`launcher exited (code ${code}):\n${output.slice(-3000)}`)));
  });
}, 120_000);

afterAll(async () => {
  if (launcher?.exitCode === null) {
    launcher.kill('SIGINT');
    await exited;
  }
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

it('tells the user where the GraphQL endpoint is', () => {
  expect(output).toContain(`GraphQL endpoint:  http://localhost:${ports.gateway}/graphql`);
  expect(output).toContain(`Dashboard:         http://localhost:${ports.gateway}/`);
  expect(output).toMatch(/embedded PostgreSQL.*demo data/);
});

it('starts the identity provider, prints the demo accounts, and has the gateway trust it', async () => {
  expect(output).toContain(`Sign-in:           http://localhost:${ports.identityProvider}`);
  const accounts = JSON.parse(readFileSync(path.join(workdir, 'identity-provider', 'accounts.json'), 'utf8')) as Array<{ username: string; password: string; scriptClientId: string; scriptClientSecret: string }>;
  expect(accounts.map((account) => account.username)).toEqual(expect.arrayContaining(['hr-duisburg', 'member', 'admin']));
  for (const account of accounts) expect(output).toMatch(new RegExp(`${account.username}\\s+${account.password.replace(/[-_]/g, '\\$&')}\\s`));
  const config = (await (await fetch(`http://127.0.0.1:${ports.gateway}/dashboard-config.json`)).json()) as { signIn: { issuer: string; clientId: string } };
  expect(config.signIn).toEqual({ issuer: `http://localhost:${ports.identityProvider}`, clientId: 'dashboard' });

  // A script's token (client credentials, as `npm run token` gets it) is accepted; the forum's issueToken defers to the provider.
  const admin = accounts.find((account) => account.username === 'admin')!;
  const tokenResponse = await fetch(`http://127.0.0.1:${ports.identityProvider}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${admin.scriptClientId}:${admin.scriptClientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const response = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'mutation { forum { issueToken(input: { subject: "x", roles: [MEMBER], expiresIn: "1h" }) { token } } }' }),
  });
  const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
  expect(body.errors?.[0]?.extensions?.code).toBe('NOT_AVAILABLE');
});

it('makes a new data directory in a process of its own, whose memory is returned when it ends', () => {
  expect(output).toContain('first start: making the data directory');
});

it('serves the dashboard', async () => {
  const response = await fetch(`http://127.0.0.1:${ports.gateway}/`);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('<div id="app">');
});

it('serves the forum with the demo data through the gateway', async () => {
  const response = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: contractOperation('forum-progress'), variables: { year: 2024 } }),
  });
  const body = (await response.json()) as { data: ForumProgressData; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data.forum.members).toHaveLength(8);
  expect(body.data.forum.staffProgress.pooledShare).toBeGreaterThan(0);
});

it('runs the eight demo cities in two processes of four, each city on its own port', () => {
  expect(output).toMatch(/cities-1-of-2 .*\(city-bochum\)/);
  expect(output).toMatch(/cities-2-of-2 .*\(city-oberhausen\)/);
  expect(output).not.toMatch(/^city-essen /m);
});

it('refuses a second start beside the running hub, naming the ports in use, and leaves the first serving', async () => {
  const second = spawn(process.execPath, [distScript('services', 'tools', 'launcher', 'main.js')], { env: launcherEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let secondOutput = '';
  second.stdout!.on('data', (chunk: Buffer) => (secondOutput += chunk.toString()));
  second.stderr!.on('data', (chunk: Buffer) => (secondOutput += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
  expect(code).toBe(1);
  expect(secondOutput).toContain(`already in use: ${ports.gateway} (the gateway, PORT), ${ports.forum} (the forum)`);
  expect(secondOutput).toContain('Is the hub already running (another npm start)?');
  expect(secondOutput).not.toContain('Integration Forum Hub is running');
  const response = await fetch(`http://127.0.0.1:${ports.gateway}/health`);
  expect(response.status).toBe(200);
});

it('stops every process on Ctrl-C and exits cleanly', async () => {
  launcher.kill('SIGINT');
  expect(await exited).toBe(0);
  const stillOpen = [];
  for (const port of [ports.gateway, ports.database, ports.forum, ports.identityProvider, ...memberPorts]) if (await portOpen(port)) stillOpen.push(port);
  expect(stillOpen).toEqual([]);
});
