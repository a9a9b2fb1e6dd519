/**
 * `npm run bench`: what the federation costs, in numbers. Starts its own federation on PostgreSQL (a fresh database,
 * demo data, ports of its own) and measures:
 *  - per contract operation (tests/contract/): requests/s and p50/p95/p99 latency at 1 and at 50 concurrent
 *    clients, without and with the gateway's response cache; SQL statements per request per subgraph;
 *  - the gateway's overhead against the limit: the calls its query plan makes, sent straight to the subgraphs
 *    (the slowest subgraph of each stage), against the gateway's own latency;
 *  - the peers: Hive Gateway with its default and with its Rust query planner, over the same supergraph and
 *    subgraphs, in alternating runs, on identical questions (CityComparison) and on distinct ones (every client a
 *    different city and year), without and with the gateways' response caches, as ratios ours/peer (peers.ts);
 *  - resident memory of every process after the load;
 *  - `npm run import` of a CSV file of 10,000 rows and more, through the gateway, into an empty city.
 * Prints each step's tables as it ends and writes bench/results/bench-<time>.json after every step (results-file.ts),
 * the processes' messages next to it. A step that fails is recorded there with its error (`failures`), and the
 * benchmark goes on with the next; only a federation that does not start ends it. The targets (docs/performance.md)
 * are reported, not enforced: the exit code is 0 unless some step failed.
 */
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadOrCreateSigningKey } from '../services/common/auth/keys';
import { fromProjectRoot } from '../services/common/project-root';
import { findMember, loadRegistry, type Registry } from '../services/common/registry';
import { readEmbeddedPostgresConfig } from '../services/tools/embedded-postgres/config';
import { cityProcessName, healthUrl, startFederation, subgraphAddresses } from '../services/tools/launcher/federation';
import { Supervisor } from '../services/tools/launcher/supervisor';
import { ask, type Operation } from './ask';
import { comparePeers, distinctQuestions, printPeers, SIDE_NAMES, type PeerFigures, type PeerSide } from './peers';
import { importFileFor, runImportCommand } from './csv-import';
import { IncrementalResults } from './results-file';
import { freePortBase, machine, writeRegistryOnPorts, type RegistryJson } from './environment';
import { measureStartUp, type StartUpFigures } from './start-up';
import { closedLoop, cpuTimeMs, residentMemoryMb, untilQuiet, type LatencyFigures } from './measure';
import { callsByStage, planStages } from './query-plan-stages';
import { measureDirectFetches, SubgraphRecorder, type DirectFetchFigures } from './subgraph-fetches';

const USAGE = `npm run bench -- [options]

  --requests N        requests per measurement at 50 clients (default 2000; at 1 client a tenth)
  --peer-rounds N     alternating runs of each gateway in the peer comparison (default 4)
  --import-runs N     imports of the CSV file, each into an empty city (default 3)
  --quick             a smoke run, to see that every step works, not to take figures: --requests 100
                      --peer-rounds 1 --import-runs 1 unless given
  --profile DIR       CPU profiles of every process (node --cpu-prof) into DIR, written when they stop
  --database-url URL  PostgreSQL server to create the benchmark's database on
                      (default: BENCH_DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)
  --help              this text`;

/** What the targets say (docs/performance.md). */
const TARGETS = { cityComparisonP95Ms: 50, importRows: 10_000, importMs: 5_000, startUpReadyMs: 15_000, startUpResidentMb: 1_536 } as const;
const HIGH_CONCURRENCY = 50;
/** The cache's lifetime in the cached mode: the gateway's default. */
const CACHE_TTL_MS = 30_000;
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

interface Options {
  requests: number;
  peerRounds: number;
  importRuns: number;
  databaseUrl: string;
  profileDir?: string;
}

type ContractOperation = Operation;

const contract = (file: string) => readFileSync(fromProjectRoot('tests', 'contract', `${file}.graphql`), 'utf8');
const OPERATIONS: ContractOperation[] = [
  { name: 'CityComparison', query: contract('city-comparison'), variables: { year: 2024 } },
  { name: 'CityTrend', query: contract('city-trend'), variables: { id: 'duisburg', from: 2010, to: 2024 } },
  { name: 'ForumProgress', query: contract('forum-progress'), variables: { year: 2024 } },
];
const CITY_COMPARISON = OPERATIONS[0]!;

function readOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string' },
      'peer-rounds': { type: 'string' },
      'import-runs': { type: 'string' },
      quick: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const count = (name: string, value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} ${value}: expected a whole number > 0`);
    return number;
  };
  return {
    requests: count('requests', values.requests ?? (values.quick ? '100' : '2000')),
    peerRounds: count('peer-rounds', values['peer-rounds'] ?? (values.quick ? '1' : '4')),
    importRuns: count('import-runs', values['import-runs'] ?? (values.quick ? '1' : '3')),
    profileDir: values.profile === undefined ? undefined : path.resolve(values.profile),
    databaseUrl:
      values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

/** A database of its own on the server, dropped afterwards: the benchmark never touches anyone's data. */
async function createDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ifh_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`cannot reach PostgreSQL at ${serverUrl} (${(error as Error).message}); start it or give --database-url`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function waitUntilAnswering(url: string, operations: readonly ContractOperation[], deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      for (const operation of operations) await ask(url, operation);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function sqlStatements(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('sql_statements_total'));
  if (!line) throw new Error(`the subgraph on ${port} reports no sql_statements_total`);
  return Number(line.split(' ').at(-1));
}

/** SQL statements each subgraph ran per request of the operation, over `requests` requests. */
async function statementsPerRequest(url: string, registry: Registry, operation: ContractOperation, requests: number): Promise<Record<string, number>> {
  const subgraphs: Array<[string, number]> = [['forum', registry.forum.port], ...registry.members.map((member): [string, number] => [member.id, member.port])];
  const before = await Promise.all(subgraphs.map(([, port]) => sqlStatements(port)));
  for (let request = 0; request < requests; request += 1) await ask(url, operation);
  const after = await Promise.all(subgraphs.map(([, port]) => sqlStatements(port)));
  return Object.fromEntries(subgraphs.map(([name], index) => [name, Math.round(((after[index]! - before[index]!) / requests) * 100) / 100]));
}

/** Each gateway without its response cache (by side) and with it (cached). */
interface Gateways {
  ours: string;
  oursCached: string;
  peers: Record<PeerSide, string>;
  peersCached: Record<PeerSide, string>;
}

/** The years of the demo data that CityComparison's 15 years in turn and the distinct peer questions ask. */
const YEARS = Array.from({ length: 15 }, (_, index) => 2010 + index);

interface OperationFigures {
  operation: string;
  oneClient: LatencyFigures;
  fiftyClients: LatencyFigures;
  /**
   * 50 clients each asking for another year (2010 to 2024 in turn), without the response cache: readers who do not
   * ask the same question at the same moment share no subgraph call.
   */
  fiftyClientsMixedYears?: LatencyFigures;
  oneClientCached: LatencyFigures;
  fiftyClientsCached: LatencyFigures;
  sqlStatementsPerRequest: Record<string, number>;
  /** CPU time each process spent per request at one client, in ms: what limits throughput on a small machine. */
  cpuMsPerRequest: Record<string, number>;
  direct: DirectFetchFigures & { subgraphCalls: number; stages: number };
  /** Our p50 at one client minus the plan sent straight to the subgraphs, stage by stage (concurrentFloorP50). */
  gatewayOverheadP50Ms: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const options = readOptions();
  if (!options) {
    console.log(USAGE);
    return;
  }
  const checkedIn = loadRegistry();
  const cities = checkedIn.members.length;
  // base: ours, +3: Hive, +4: ours in front of the recorder, +5: ours cached, +6: Hive cached, +7: the member router,
  // +8: Hive with the Rust planner, +9: the same cached, +2: forum, +10...: cities.
  const base = await freePortBase((candidate) => [0, 2, 3, 4, 5, 6, 7, 8, 9, ...Array.from({ length: cities }, (_, index) => 10 + index)].map((offset) => candidate + offset));
  const workdir = mkdtempSync(path.join(os.tmpdir(), 'ifh-bench-'));
  const membersFile = path.join(workdir, 'members.json');
  const registryJson = writeRegistryOnPorts(membersFile, base);
  const registry = loadRegistry(membersFile);

  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const resultsDir = fromProjectRoot('bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const resultFile = path.join(resultsDir, `bench-${stamp}.json`);
  const log = createWriteStream(path.join(resultsDir, `bench-${stamp}.log`));
  const supervisor = new Supervisor({
    output: (name, line) => log.write(`${name.padEnd(22)} ${line}\n`),
    notice: (message) => log.write(`${'supervisor'.padEnd(22)} ${message}\n`),
  });
  const database = await createDatabase(options.databaseUrl);
  let recorder: SubgraphRecorder | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await supervisor.stopAll();
      await recorder?.stop();
      await database.drop();
      rmSync(workdir, { recursive: true, force: true });
      log.end();
    })());
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));

  const keys = { AUTH_LOCAL_KEY_FILE: path.join(workdir, 'issuer.jwk.json'), GATEWAY_KEY_FILE: path.join(workdir, 'gateway.jwk.json') };
  const gatewayKey = await loadOrCreateSigningKey(keys.GATEWAY_KEY_FILE);
  await loadOrCreateSigningKey(keys.AUTH_LOCAL_KEY_FILE);
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...keys,
    MEMBERS_FILE: membersFile,
    METRICS_TOKEN,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // One address sends every request here; the rate limits are for the public, not for a benchmark.
    RATE_LIMIT_PER_ADDRESS: '0',
    RATE_LIMIT_PER_USER: '0',
    // Each gateway measured without its cache unless it says otherwise (the cached ones set their own TTL below).
    RESPONSE_CACHE_TTL_MS: '0',
  };
  const description = machine();
  console.log(
    `Benchmark: ${cities} cities on PostgreSQL (${new URL(options.databaseUrl).host}), ${options.requests} requests per measurement at ${HIGH_CONCURRENCY} clients.\n` +
      `Machine: ${description.cpu}, ${description.memoryGb} GB, Node ${description.node}, load average ${description.loadAverageAtStart.join(' ')}.\n` +
      `Figures: ${path.relative(process.cwd(), resultFile)}, written after every step.`,
  );
  // Written after every step: what the steps before measured stays on disk whatever a later one does.
  const results = new IncrementalResults(resultFile, {
    startedAt: new Date().toISOString(),
    machine: description,
    options: { ...options, databaseUrl: new URL(options.databaseUrl).host },
    targets: TARGETS,
  });
  const figures: Partial<Figures> = {};

  try {
    // First, on a machine with nothing else of ours running: npm start, as a new user starts it, and once more.
    process.stdout.write('  npm start, first and second start...\n');
    figures.startUp = await results.step(
      'startUp',
      async () => {
        const startUpBase = await freePortBase((candidate) => [0, 1, 2, ...Array.from({ length: cities }, (_, index) => 10 + index)].map((offset) => candidate + offset));
        const startUpData = path.join(workdir, 'embedded-postgres');
        return {
          firstStart: await measureStartUp(workdir, startUpData, startUpBase, (gateway) => waitUntilAnswering(gateway, OPERATIONS)),
          laterStart: await measureStartUp(workdir, startUpData, startUpBase, (gateway) => waitUntilAnswering(gateway, OPERATIONS)),
        };
      },
      printStartUp,
    );

    const profiling = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
    const supergraphFile = fromProjectRoot('schema', 'supergraph.graphql');
    const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
    // Every later step needs the federation and the gateways: without them the benchmark ends here.
    const federation = await results.run('setUp', async () => {
      const starting = performance.now();
      await startFederation(supervisor, { registry, gatewayPort: base, databaseUrl: database.url, embedded: readEmbeddedPostgresConfig(env), demoData: true, env, nodeOptions: profiling, citiesPerProcess: 1 });
      const addresses = subgraphAddresses(registry);
      const gatewayScript = fromProjectRoot('dist', 'gateway', 'main.js');
      const peerScript = fromProjectRoot('dist', 'bench', 'peer', 'hive-gateway.js');
      const extra = (name: string, script: string, port: number, health: string, own: NodeJS.ProcessEnv) =>
        supervisor.start({ name, script, nodeOptions: profiling, env: { ...env, ...addresses, ...own, PORT: String(port), SUPERGRAPH_FILE: supergraphFile }, healthUrls: [`http://127.0.0.1:${port}${health}`], restart: false });
      const subgraphUrls = new Map(Object.entries(addresses).map(([variable, address]) => [variable.replace('SUBGRAPH_URL_', '').toLowerCase(), address]));
      recorder = await SubgraphRecorder.start(subgraphUrls);
      const recorderAddresses = Object.fromEntries(Object.keys(addresses).map((variable) => [variable, recorder!.urlFor(variable.replace('SUBGRAPH_URL_', '').toLowerCase())]));
      // Hive Gateway sees the city subgraph at one address, the standalone member router, which routes by key as ours
      // does in-process (docs/routing.md).
      const memberRouterScript = fromProjectRoot('dist', 'services', 'router', 'main.js');
      const peerAddresses = { SUBGRAPH_URL_FORUM: addresses.SUBGRAPH_URL_FORUM, SUBGRAPH_URL_CITY: url(base + 7) };
      await extra('member-router', memberRouterScript, base + 7, '/health', {});
      // Each peer with its own deduplication of identical requests in flight on, as ours always has its own.
      const hive = (planner: 'default' | 'rust', cacheTtlMs: number) => ({ ...peerAddresses, HIVE_QUERY_PLANNER: planner, HIVE_INBOUND_DEDUPLICATION: 'true', RESPONSE_CACHE_TTL_MS: String(cacheTtlMs) });
      await Promise.all([
        extra('gateway-cached', gatewayScript, base + 5, '/health', { RESPONSE_CACHE_TTL_MS: String(CACHE_TTL_MS) }),
        extra('gateway-recorded', gatewayScript, base + 4, '/health', recorderAddresses),
        // Without their response caches: the peers' counterparts of ours without (env above), the fan-out compared.
        extra('hive-gateway', peerScript, base + 3, '/healthcheck', hive('default', 0)),
        extra('hive-gateway-cached', peerScript, base + 6, '/healthcheck', hive('default', CACHE_TTL_MS)),
        extra('hive-gateway-rust', peerScript, base + 8, '/healthcheck', hive('rust', 0)),
        extra('hive-gateway-rust-cached', peerScript, base + 9, '/healthcheck', hive('rust', CACHE_TTL_MS)),
      ]);
      const gateways: Gateways = {
        ours: url(base),
        oursCached: url(base + 5),
        peers: { ours: url(base), hive: url(base + 3), hiveRust: url(base + 8) },
        peersCached: { ours: url(base + 5), hive: url(base + 6), hiveRust: url(base + 9) },
      };
      await Promise.all([gateways.ours, gateways.oursCached, url(base + 4)].map((gateway) => waitUntilAnswering(gateway, OPERATIONS)));
      const peerUrls = [gateways.peers.hive, gateways.peers.hiveRust, gateways.peersCached.hive, gateways.peersCached.hiveRust];
      await Promise.all(peerUrls.map((gateway) => waitUntilAnswering(gateway, [CITY_COMPARISON])));
      console.log(`Federation and gateways ready in ${((performance.now() - starting) / 1000).toFixed(1)} s.`);
      // The cities work out their withheld patterns after they start; measured before that ends, their CPU per request
      // counted that work too (a tenth of the requests right after start, on 2 December).
      const cities = [...supervisor.processIds()].filter(([name]) => name.startsWith('city-')).map(([, pid]) => pid);
      console.log(`Cities quiet after ${((await untilQuiet(cities)) / 1000).toFixed(1)} s more.`);
      return { gateways, subgraphUrls, recorder };
    });

    if (federation) {
      const { gateways, subgraphUrls } = federation;
      const oneClientRequests = Math.max(20, Math.round(options.requests / 10));
      const operations: OperationFigures[] = [];
      for (const operation of OPERATIONS) {
        process.stdout.write(`  ${operation.name}...\n`);
        const measured = await results.run(`operations: ${operation.name}`, () =>
          measureOperation(operation, { supervisor, registry, gateways, recordedGateway: url(base + 4), recorder: federation.recorder, subgraphUrls, supergraphFile, gatewayKey, oneClientRequests, options }),
        );
        if (measured === undefined) continue;
        operations.push(measured);
        results.record('operations', operations);
        printOperations([measured]);
      }
      figures.operations = operations;

      process.stdout.write('  Hive Gateway, default and Rust planner, alternating runs...\n');
      figures.peerAnswers = await results.step(
        'peerAnswers',
        // The comparison is on CityComparison and CityYear; whether the peers answer the rest of the contract as ours
        // does is worth knowing too (an answer without errors may still differ: fields null where ours has figures).
        async () =>
          Object.fromEntries(
            await Promise.all(
              OPERATIONS.map(async (operation) => {
                const ours = await ask(gateways.ours, operation);
                const outcome = (gateway: string) =>
                  ask(gateway, operation).then(
                    (theirs) => (isDeepStrictEqual(theirs, ours) ? 'as ours' : 'answered, differently from ours'),
                    (error: Error) => error.message.replace(/^.*? with /, ''),
                  );
                return [operation.name, { [SIDE_NAMES.hive]: await outcome(gateways.peers.hive), [SIDE_NAMES.hiveRust]: await outcome(gateways.peers.hiveRust) }] as const;
              }),
            ),
          ),
        printPeerAnswers,
      );
      const distinct = distinctQuestions(
        registry.members.map((member) => member.id),
        YEARS,
      );
      figures.peers = await results.step(
        'peers',
        async () => {
          // The peers must do the same work: the same answers to the same questions.
          for (const question of [CITY_COMPARISON, distinct[0]!, distinct.at(-1)!]) {
            const ourAnswer = await ask(gateways.ours, question);
            for (const peer of ['hive', 'hiveRust'] as const) {
              if (!isDeepStrictEqual(ourAnswer, await ask(gateways.peers[peer], question))) {
                throw new Error(`${SIDE_NAMES[peer]} answers ${question.name} ${JSON.stringify(question.variables)} differently from ours; the comparison would be meaningless`);
              }
            }
          }
          const peers: PeerFigures[] = [];
          for (const [workload, questions] of [['identical', [CITY_COMPARISON]], ['distinct', distinct]] as const) {
            for (const caches of ['no response cache', 'response caches on'] as const) {
              process.stdout.write(`    ${workload} questions, ${caches}...\n`);
              const urls = caches === 'no response cache' ? gateways.peers : gateways.peersCached;
              peers.push(await comparePeers({ workload, caches, urls, questions, rounds: options.peerRounds, requests: options.requests, clients: HIGH_CONCURRENCY, cacheTtlMs: CACHE_TTL_MS }));
              results.record('peers', peers);
            }
          }
          return peers;
        },
        (peers) => printPeers(peers, HIGH_CONCURRENCY),
      );

      const processIds = Object.fromEntries(supervisor.processIds());
      results.record('processIds', processIds);
      figures.memoryMb = await results.step('memoryMb', async () => Object.fromEntries(Object.entries(processIds).map(([name, pid]) => [name, residentMemoryMb(pid)])), printMemory);

      process.stdout.write('  CSV import...\n');
      figures.import = await results.step('import', () => benchmarkImport(supervisor, registry, registryJson, workdir, env, database.url, base, options), printImport);
    }

    printTargets(figures);
    console.log(`\nFigures: ${path.relative(process.cwd(), resultFile)}`);
    if (results.failedSteps.length > 0) {
      console.error(`Failed steps (their errors are in the figures under "failures"): ${results.failedSteps.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await stop();
  }
}

/** One contract operation, every way it is measured: latency with and without the cache, SQL, CPU, the plan sent straight. */
async function measureOperation(
  operation: ContractOperation,
  {
    supervisor,
    registry,
    gateways,
    recordedGateway,
    recorder,
    subgraphUrls,
    supergraphFile,
    gatewayKey,
    oneClientRequests,
    options,
  }: {
    supervisor: Supervisor;
    registry: Registry;
    gateways: Gateways;
    recordedGateway: string;
    recorder: SubgraphRecorder;
    subgraphUrls: Map<string, string>;
    supergraphFile: string;
    gatewayKey: Awaited<ReturnType<typeof loadOrCreateSigningKey>>;
    oneClientRequests: number;
    options: Options;
  },
): Promise<OperationFigures> {
  const send = (gateway: string) => async () => void (await ask(gateway, operation));
  const processes = [...supervisor.processIds()].filter(([name]) => name === 'gateway' || name === 'forum' || name.startsWith('city-'));
  // A few requests first, so that what is compiled or filled on first use is not counted per request.
  await closedLoop(send(gateways.ours), 1, 20);
  const cpuBefore = processes.map(([, pid]) => cpuTimeMs(pid) ?? NaN);
  const oneClient = await closedLoop(send(gateways.ours), 1, oneClientRequests);
  const cpuMsPerRequest = Object.fromEntries(
    processes.map(([name, pid], index) => [name, Math.round((((cpuTimeMs(pid) ?? NaN) - cpuBefore[index]!) / oneClientRequests) * 100) / 100]),
  );
  const fiftyClients = await closedLoop(send(gateways.ours), HIGH_CONCURRENCY, options.requests);
  let yearTurn = 0;
  const fiftyClientsMixedYears =
    'year' in operation.variables
      ? await closedLoop(
          async () => void (await ask(gateways.ours, { ...operation, variables: { ...operation.variables, year: YEARS[yearTurn++ % YEARS.length] } })),
          HIGH_CONCURRENCY,
          options.requests,
        )
      : undefined;
  const oneClientCached = await closedLoop(send(gateways.oursCached), 1, oneClientRequests);
  const fiftyClientsCached = await closedLoop(send(gateways.oursCached), HIGH_CONCURRENCY, options.requests);
  const sqlStatementsPerRequest = await statementsPerRequest(gateways.ours, registry, operation, 20);
  const calls = await recorder.record(async () => void (await ask(recordedGateway, operation)));
  const stages = callsByStage(calls, planStages(readFileSync(supergraphFile, 'utf8'), operation.query, registry.members.map((member) => member.id)));
  const direct = await measureDirectFetches(stages, subgraphUrls, gatewayKey, oneClientRequests);
  return {
    operation: operation.name,
    oneClient,
    fiftyClients,
    fiftyClientsMixedYears,
    oneClientCached,
    fiftyClientsCached,
    sqlStatementsPerRequest,
    cpuMsPerRequest,
    direct: { ...direct, subgraphCalls: calls.length, stages: stages.length },
    gatewayOverheadP50Ms: Math.round((oneClient.p50 - direct.concurrentFloorP50) * 10) / 10,
  };
}

/**
 * Duisburg's process is replaced by one with hundreds of units (the file needs them) on an empty schema; `npm run
 * import` then starts the import job through the gateway and follows it to its end, as an HR team would: a file this
 * size takes longer than the gateway waits for one answer (SUBGRAPH_TIMEOUT_MS), so it is never one request. The time
 * is from the start of the command to its exit, the job's commit included. Each run gets an empty schema of its own.
 */
async function benchmarkImport(
  supervisor: Supervisor,
  registry: Registry,
  registryJson: RegistryJson,
  workdir: string,
  env: NodeJS.ProcessEnv,
  databaseUrl: string,
  gatewayPort: number,
  options: Options,
) {
  const member = findMember(registry, 'duisburg');
  const file = importFileFor(member, TARGETS.importRows);
  const csvFile = path.join(workdir, 'import.csv');
  writeFileSync(csvFile, file.csv);
  const importRegistry = structuredClone(registryJson);
  importRegistry.members.find((candidate) => candidate.id === member.id)!.units = file.units;
  const importMembersFile = path.join(workdir, 'members-import.json');
  writeFileSync(importMembersFile, JSON.stringify(importRegistry));

  await supervisor.stop(cityProcessName(member.id));
  const runs: number[] = [];
  let previous: string | undefined;
  for (let run = 1; run <= options.importRuns; run += 1) {
    const name = `${cityProcessName(member.id)}-import-${run}`;
    if (previous) await supervisor.stop(previous);
    await supervisor.start({
      name,
      script: fromProjectRoot('dist', 'services', 'city', 'main.js'),
      args: [member.id],
      env: { ...env, MEMBERS_FILE: importMembersFile, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: `bench_import_${run}`, DEMO_DATA: 'false', PORT: String(member.port) },
      healthUrls: [healthUrl(member.port)],
      restart: false,
    });
    previous = name;
    const { ms, output } = await runImportCommand(
      fromProjectRoot('dist', 'services', 'tools', 'cli', 'import.js'),
      ['--city', member.id, '--url', `http://127.0.0.1:${gatewayPort}/graphql`, '--lang', 'en', csvFile],
      { ...env, MEMBERS_FILE: importMembersFile },
    );
    if (!output.includes(`Imported: ${file.rows} rows`)) throw new Error(`the import did not take every row:\n${output}`);
    runs.push(Math.round(ms));
  }
  return { rows: file.rows, units: file.units.length, bytes: Buffer.byteLength(file.csv), runsMs: runs, medianMs: median(runs), targetMs: TARGETS.importMs };
}

type Figures = {
  operations: OperationFigures[];
  peers: PeerFigures[];
  peerAnswers: Record<string, Record<string, string>>;
  memoryMb: Record<string, { rss: number; peak: number } | null>;
  import: Awaited<ReturnType<typeof benchmarkImport>>;
  startUp: { firstStart: StartUpFigures; laterStart: StartUpFigures };
};

function printStartUp(startUp: Figures['startUp']): void {
  console.log('npm start (ready: until the contract operations answer; memory: all its processes then)');
  console.table({
    'first start (new data directory)': { 'ready ms': startUp.firstStart.readyMs, 'memory MB': startUp.firstStart.residentMb, processes: startUp.firstStart.processes },
    'later start': { 'ready ms': startUp.laterStart.readyMs, 'memory MB': startUp.laterStart.residentMb, processes: startUp.laterStart.processes },
  });
}

function printOperations(operations: OperationFigures[]): void {
  const row = (figures: LatencyFigures) => ({ 'req/s': figures.requestsPerSecond, p50: figures.p50, p95: figures.p95, p99: figures.p99, failed: figures.failed });
  console.log('Contract operations through our gateway (latency in ms)');
  console.table(
    Object.fromEntries(
      operations.flatMap((figures) => [
        [`${figures.operation}, 1 client`, row(figures.oneClient)],
        [`${figures.operation}, ${HIGH_CONCURRENCY} clients`, row(figures.fiftyClients)],
        ...(figures.fiftyClientsMixedYears ? [[`${figures.operation}, ${HIGH_CONCURRENCY} clients, 15 years in turn`, row(figures.fiftyClientsMixedYears)] as const] : []),
        [`${figures.operation}, 1 client, cached`, row(figures.oneClientCached)],
        [`${figures.operation}, ${HIGH_CONCURRENCY} clients, cached`, row(figures.fiftyClientsCached)],
      ]),
    ),
  );
  console.log('SQL statements per request, per subgraph');
  console.table(Object.fromEntries(operations.map((figures) => [figures.operation, figures.sqlStatementsPerRequest])));
  console.log('CPU time per request at 1 client, per process (ms)');
  console.table(Object.fromEntries(operations.map((figures) => [figures.operation, figures.cpuMsPerRequest])));
  console.log('Gateway overhead at 1 client (ms): our p50 against its query plan\'s calls sent straight to the subgraphs, the slowest of each stage alone and the whole plan');
  console.table(
    Object.fromEntries(
      operations.map((figures) => [
        figures.operation,
        {
          'subgraph calls': figures.direct.subgraphCalls,
          stages: figures.direct.stages,
          'slowest per stage (p50 ms)': figures.direct.slowestPerStage.map((stage) => `${stage.subgraph} ${stage.p50}`).join(' + '),
          'slowest, summed': figures.direct.floorP50,
          'plan sent straight p50': figures.direct.concurrentFloorP50,
          'gateway p50': figures.oneClient.p50,
          'overhead p50': figures.gatewayOverheadP50Ms,
        },
      ]),
    ),
  );
}

function printPeerAnswers(peerAnswers: Figures['peerAnswers']): void {
  console.log('Hive Gateway on the contract operations');
  console.table(peerAnswers);
}

function printMemory(memoryMb: Figures['memoryMb']): void {
  console.log('Resident memory after the load (MB)');
  console.table(memoryMb);
}

function printImport(imports: Figures['import']): void {
  console.log(`npm run import: ${imports.rows} rows (${imports.units} units, ${Math.round(imports.bytes / 1024)} KB), each run into an empty city (ms)`);
  console.table({ ...Object.fromEntries(imports.runsMs.map((ms, index) => [`run ${index + 1}`, { ms }])), median: { ms: imports.medianMs } });
}

/** The targets, from whichever steps measured what they need; a step that failed leaves its targets out. */
function printTargets({ operations, peers, import: imports, startUp }: Partial<Figures>): void {
  const mixedYears = operations?.find((figures) => figures.operation === 'CityComparison')?.fiftyClientsMixedYears;
  console.log('\nTargets');
  console.table({
    ...Object.fromEntries(
      (peers ?? [])
        .filter((peer) => peer.workload === 'identical')
        .map((peer) => [
          `CityComparison p95, ${HIGH_CONCURRENCY} clients, ${peer.caches}, median of ${peer.rounds.length} run${peer.rounds.length === 1 ? '' : 's'} (ms)`,
          { value: peer.sides.ours.p95, target: `< ${TARGETS.cityComparisonP95Ms}`, met: peer.sides.ours.p95 < TARGETS.cityComparisonP95Ms },
        ]),
    ),
    ...(mixedYears
      ? {
          [`CityComparison p95, ${HIGH_CONCURRENCY} clients, 15 years in turn, no response cache (ms)`]: {
            value: mixedYears.p95,
            target: `< ${TARGETS.cityComparisonP95Ms}`,
            met: mixedYears.p95 < TARGETS.cityComparisonP95Ms,
          },
        }
      : {}),
    ...Object.fromEntries(
      (['firstStart', 'laterStart'] as const).flatMap((start) => {
        if (!startUp) return [];
        const label = start === 'firstStart' ? 'npm start, first start (new data directory)' : 'npm start, later start';
        return [
          [`${label}: ready (ms)`, { value: startUp[start].readyMs, target: `< ${TARGETS.startUpReadyMs}`, met: startUp[start].readyMs < TARGETS.startUpReadyMs }],
          [`${label}: memory, ${startUp[start].processes} processes (MB)`, { value: startUp[start].residentMb, target: `< ${TARGETS.startUpResidentMb}`, met: startUp[start].residentMb < TARGETS.startUpResidentMb }],
        ];
      }),
    ),
    ...(imports ? { [`npm run import, ${imports.rows} rows, median (ms)`]: { value: imports.medianMs, target: `< ${TARGETS.importMs}`, met: imports.medianMs < TARGETS.importMs } } : {}),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
