import path from 'node:path';
import { prettyFactory } from 'pino-pretty';
import { env, readEnv } from '../../common/config';
import { runMain } from '../../common/process-lifecycle';
import { loadRegistry } from '../../common/registry';
import { readEmbeddedPostgresConfig } from '../embedded-postgres/config';
import { startFederation } from './federation';
import { portsInUse, portsInUseMessage, type PlannedPort } from './ports-in-use';
import { Supervisor } from './supervisor';
import { accountTable, accountsFile, loadOrCreateAccounts } from '../identity-provider/accounts';
import { readIdentityProviderConfig } from '../identity-provider/config';

/**
 * Cities per Node process on embedded PostgreSQL (`CITIES_PER_PROCESS`): every process loads the same code, which was
 * most of a start's CPU time on two cores; four to a process keeps two processes for the eight demo cities, so that
 * both cores serve them.
 */
const EMBEDDED_CITIES_PER_PROCESS = 4;

/**
 * `npm start`: the whole federation on one machine. Without DATABASE_URL it brings its own PostgreSQL
 * (embedded, data kept in .data/) and the demo data set; with DATABASE_URL it uses that server.
 */
async function main(): Promise<void> {
  const startedAt = performance.now();
  const embedded = process.env.DATABASE_URL === undefined;
  const settings = readEnv({
    PORT: env.port(4000),
    DEMO_DATA: env.boolean(embedded),
    CITIES_PER_PROCESS: env.positiveInt(embedded ? EMBEDDED_CITIES_PER_PROCESS : 1),
  });
  // With AUTH_JWKS_URL the hub trusts another identity provider (Keycloak...); otherwise it brings its own.
  const identityProvider = process.env.AUTH_JWKS_URL === undefined ? readIdentityProviderConfig() : undefined;
  const registry = loadRegistry();
  const embeddedConfig = readEmbeddedPostgresConfig();
  const planned: PlannedPort[] = [
    { port: settings.PORT, purpose: 'the gateway, PORT' },
    { port: registry.forum.port, purpose: 'the forum' },
    ...registry.members.map((member) => ({ port: member.port, purpose: member.id })),
    ...(identityProvider ? [{ port: identityProvider.port, purpose: 'the identity provider, IDP_PORT' }] : []),
    ...(embedded ? [{ port: embeddedConfig.port, purpose: 'embedded PostgreSQL, EMBEDDED_DB_PORT' }] : []),
  ];
  const taken = await portsInUse(planned);
  if (taken.length > 0) throw new Error(portsInUseMessage(taken));
  const pretty = prettyFactory({ colorize: process.stdout.isTTY, ignore: 'pid,hostname,service', messageKey: 'msg' });

  const supervisor = new Supervisor({
    output: (name, line) => {
      const formatted = line.startsWith('{') ? pretty(line).trimEnd() : line;
      process.stdout.write(`${name.padEnd(18)} ${formatted}\n`);
    },
    notice: (message) => process.stdout.write(`${'launcher'.padEnd(18)} ${message}\n`),
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= supervisor.stopAll();
    return stopping;
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop().then(() => process.exit(0)));

  try {
    await startFederation(supervisor, {
      registry,
      gatewayPort: settings.PORT,
      databaseUrl: process.env.DATABASE_URL,
      embedded: embeddedConfig,
      demoData: settings.DEMO_DATA,
      env: process.env,
      identityProvider,
      citiesPerProcess: settings.CITIES_PER_PROCESS,
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const storage = embedded ? `embedded PostgreSQL in ${path.relative(process.cwd(), embeddedConfig.dataDir) || embeddedConfig.dataDir}` : 'PostgreSQL at DATABASE_URL';
  process.stdout.write(
    [
      '',
      `Integration Forum Hub is running (${registry.members.length} cities, ${storage}${settings.DEMO_DATA ? ', demo data' : ''}), ready in ${seconds} s.`,
      `  Dashboard:         http://localhost:${settings.PORT}/`,
      `  GraphQL endpoint:  http://localhost:${settings.PORT}/graphql   (workbench: /graphiql)`,
      `  Subgraphs:         forum :${registry.forum.port}, ${registry.members.map((member) => `${member.id} :${member.port}`).join(', ')}`,
      ...(identityProvider
        ? [
            `  Sign-in:           ${identityProvider.issuer}   (embedded identity provider; accounts below, kept in ${path.relative(process.cwd(), accountsFile(identityProvider.dataDir))})`,
            `  Tokens:            npm run token -- --role hr --city ${registry.members[0]?.id ?? '<city>'}   (roles: member, hr, admin; client credentials)`,
            '',
            accountTable(loadOrCreateAccounts(accountsFile(identityProvider.dataDir), registry)).replace(/^/gm, '  '),
            '',
          ]
        : [`  Sign-in:           ${process.env.AUTH_ISSUER} (AUTH_ISSUER)`]),
      ...(embedded || settings.DEMO_DATA ? [] : ['  DEMO_DATA is off: set DEMO_DATA=true to load the demo data set into empty databases.']),
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

runMain('launcher', main);
