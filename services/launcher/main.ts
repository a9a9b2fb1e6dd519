import path from 'node:path';
import { prettyFactory } from 'pino-pretty';
import { env, readEnv } from '../common/config';
import { runMain } from '../common/http-service';
import { envSuffix, loadRegistry } from '../common/registry';
import { embeddedDatabaseUrl, readEmbeddedPostgresConfig } from '../embedded-postgres/config';
import { Supervisor, type ProcessSpec } from './supervisor';

/**
 * `npm start`: the whole federation on one machine. Without DATABASE_URL it brings its own PostgreSQL
 * (embedded, data kept in .data/) and the demo data set; with DATABASE_URL it uses that server.
 */
async function main(): Promise<void> {
  const startedAt = performance.now();
  const settings = readEnv({ PORT: env.port(4000), DEMO_DATA: env.boolean(process.env.DATABASE_URL === undefined) });
  const registry = loadRegistry();
  const embedded = process.env.DATABASE_URL === undefined;
  const embeddedConfig = readEmbeddedPostgresConfig();
  const databaseUrl = process.env.DATABASE_URL ?? embeddedDatabaseUrl(embeddedConfig);
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

  // The compiled tree: dist/services/launcher/main.js -> dist/
  const compiled = path.join(__dirname, '..', '..');
  const script = (...service: string[]) => path.join(compiled, ...service, 'main.js');
  const childEnv = { ...process.env, DATABASE_URL: databaseUrl, DEMO_DATA: String(settings.DEMO_DATA) };
  const health = (port: number) => `http://127.0.0.1:${port}/health`;

  try {
    if (embedded) {
      await supervisor.start({ name: 'embedded-postgres', script: script('services', 'embedded-postgres'), env: process.env, restart: false });
      await waitForPort(embeddedConfig.host, embeddedConfig.port, 60_000);
    }
    const subgraphs: ProcessSpec[] = [
      { name: 'forum', script: script('services', 'forum'), env: { ...childEnv, PORT: String(registry.forum.port) }, healthUrl: health(registry.forum.port), restart: true },
      ...registry.members.map((member) => ({
        name: `city-${member.id}`,
        script: script('services', 'city'),
        args: [member.id],
        env: { ...childEnv, PORT: String(member.port) },
        healthUrl: health(member.port),
        restart: true,
      })),
    ];
    await Promise.all(subgraphs.map((spec) => supervisor.start(spec)));
    // The gateway calls the subgraphs where this launcher started them, whatever the supergraph's defaults say.
    const subgraphAddresses = Object.fromEntries([
      ['SUBGRAPH_URL_FORUM', `http://127.0.0.1:${registry.forum.port}/graphql`],
      ...registry.members.map((member) => [`SUBGRAPH_URL_${envSuffix(member.id)}`, `http://127.0.0.1:${member.port}/graphql`]),
    ]);
    await supervisor.start({
      name: 'gateway',
      script: script('gateway'),
      env: { ...process.env, ...subgraphAddresses, PORT: String(settings.PORT) },
      healthUrl: health(settings.PORT),
      restart: true,
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
      `  Tokens:            npm run token -- --role hr --city ${registry.members[0]?.id ?? '<city>'}   (roles: member, hr, admin)`,
      ...(embedded || settings.DEMO_DATA ? [] : ['  DEMO_DATA is off: set DEMO_DATA=true to load the demo data set into empty databases.']),
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`embedded PostgreSQL did not listen on ${host}:${port} within ${timeoutMs / 1000} s`);
}

runMain('launcher', main);
