/**
 * `npm run load`: does the gateway stay whole while a city restarts under load? Starts its own federation (the
 * launcher's processes under its supervisor, on ports of its own), then N virtual dashboard users browse for the
 * duration: each opens a page (overview, a city's page, the comparison), sends exactly the queries that page sends,
 * reads, and moves on after a little think time. Meanwhile one city's process is stopped and, after a set time,
 * started again. It measures every request (status, latency, GraphQL error codes and cities), prints requests,
 * requests/s, HTTP statuses, errors by code and city, p50/p95/p99 overall, per operation and per phase of the outage,
 * and checks: (a) the gateway answered every request, none with 5xx; (b) every GraphQL error is CITY_UNAVAILABLE for
 * the restarted city while it was down; (c) p95 during the outage at most twice p95 before it (reported with p50 and
 * both ratios, not enforced). Exits non-zero if (a) or (b) fails. Writes bench/results/load-<time>.json, and
 * the processes' own messages to bench/results/load-<time>.log.
 */
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readGatewayConfig } from '../gateway/config';
import { CITY_DETAILS, COMPARISON_INTERVALS, LATEST_YEAR, MEMBERS, OVERVIEW } from '../gateway/dashboard/src/queries';
import { fromProjectRoot } from '../services/common/project-root';
import { findMember, loadRegistry, type Registry } from '../services/common/registry';
import { readEmbeddedPostgresConfig } from '../services/tools/embedded-postgres/config';
import { cityProcessName, healthUrl, startFederation } from '../services/tools/launcher/federation';
import { Supervisor } from '../services/tools/launcher/supervisor';
import { freePortBase, machine, writeRegistryOnPorts } from './environment';
import { summarize, type ErrorRecord, type LoadSummary, type Outage, type RequestRecord } from './load-summary';

const USAGE = `npm run load -- [options]

  --users N             virtual dashboard users browsing at once (default 50)
  --duration S          seconds of load (default 60)
  --city ID             the city whose process is stopped and started again (default essen)
  --restart-at S        seconds into the load when it is stopped (default 20)
  --down S              seconds it stays down before it is started again (default 10)
  --signal NAME         SIGTERM (a clean stop, default) or SIGKILL (a crash)
  --think MS            mean pause between two pages of one user, in ms (default 1000; each pause 0.5x to 1.5x)
  --database-url URL    PostgreSQL for the subgraphs (demo data loaded into empty schemas);
                        default: embedded PostgreSQL in memory, as npm start runs it
  --help                this text`;

/**
 * What the dashboard asks by default: the latest year with figures (its LatestYear query finds 2024 in the demo data)
 * and, on a city's page, the years from FIRST_YEAR (components/year-picker.tsx).
 */
const DEFAULT_YEAR = 2024;
const FIRST_YEAR = 2010;
/** A request taking longer than this counts as unanswered: a user would have given up. */
const REQUEST_TIMEOUT_MS = 30_000;
/** How often the restarted city's /health is asked, which bounds how exactly its return is timed. */
const HEALTH_POLL_MS = 25;

interface Options {
  users: number;
  durationS: number;
  city: string;
  restartAtS: number;
  downS: number;
  signal: 'SIGTERM' | 'SIGKILL';
  thinkMs: number;
  databaseUrl?: string;
}

interface Operation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/** A dashboard page: the requests it sends at once when it opens (each `useQuery` of the page). */
type Page = (registry: Registry) => Operation[];

// The comparison page sends the contract's CityComparison as written; the dashboard takes it in with Vite's `?raw`,
// which tsc cannot compile, so it is read from the same file here.
const CITY_COMPARISON = readFileSync(fromProjectRoot('tests', 'contract', 'city-comparison.graphql'), 'utf8');
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

const PAGES = {
  // A visitor's first page asks for the latest year, then for that year's figures.
  overview: () => [
    { name: 'LatestYear', query: LATEST_YEAR, variables: {} },
    { name: 'Overview', query: OVERVIEW, variables: { year: DEFAULT_YEAR } },
  ],
  city: (registry) => [
    { name: 'Members', query: MEMBERS, variables: {} },
    { name: 'CityDetails', query: CITY_DETAILS, variables: { id: pick(registry.members).id, from: FIRST_YEAR, to: new Date().getFullYear() } },
  ],
  comparison: () => [
    { name: 'LatestYear', query: LATEST_YEAR, variables: {} },
    { name: 'CityComparison', query: CITY_COMPARISON, variables: { year: DEFAULT_YEAR } },
    { name: 'ComparisonIntervals', query: COMPARISON_INTERVALS, variables: { year: DEFAULT_YEAR } },
  ],
} satisfies Record<string, Page>;

function readOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '50' },
      duration: { type: 'string', default: '60' },
      city: { type: 'string', default: 'essen' },
      'restart-at': { type: 'string', default: '20' },
      down: { type: 'string', default: '10' },
      signal: { type: 'string', default: 'SIGTERM' },
      think: { type: 'string', default: '1000' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const positive = (name: string, value: string, integer = false) => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
      throw new Error(`--${name} ${value}: expected a${integer ? ' whole' : ''} number > 0`);
    }
    return number;
  };
  if (values.signal !== 'SIGTERM' && values.signal !== 'SIGKILL') throw new Error(`--signal ${values.signal}: expected SIGTERM or SIGKILL`);
  const options: Options = {
    users: positive('users', values.users, true),
    durationS: positive('duration', values.duration),
    city: values.city,
    restartAtS: positive('restart-at', values['restart-at']),
    downS: positive('down', values.down),
    signal: values.signal,
    thinkMs: positive('think', values.think),
    databaseUrl: values['database-url'],
  };
  // The outage must end inside the load, or "errors only while it was down" says nothing about its return.
  if (options.restartAtS + options.downS >= options.durationS) {
    throw new Error(`--restart-at ${options.restartAtS} + --down ${options.downS} must end before --duration ${options.durationS}`);
  }
  return options;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Timers may fire a fraction of a millisecond before `performance.now()` says the time has come. */
async function sleepUntil(clock: () => number, at: number): Promise<void> {
  while (clock() < at) await sleep(Math.max(1, at - clock()));
}

/** Who a request comes from: each virtual user has an address of its own, as real readers do. */
interface Client {
  locale: 'de' | 'en';
  /** Sent as `X-Forwarded-For`, which the gateway believes from loopback (`TRUST_PROXY`), so rate limits count per user. */
  address: string;
}

/** One request as the dashboard sends it (api.ts: POST, JSON, the reader's language), measured until its body is read. */
async function send(gatewayUrl: string, operation: Operation, client: Client, clock: () => number): Promise<RequestRecord> {
  const startedAt = clock();
  try {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': client.locale, 'x-forwarded-for': client.address },
      body: JSON.stringify({ query: operation.query, variables: operation.variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return { operation: operation.name, startedAt, finishedAt: clock(), status: response.status, errors: graphqlErrors(text) };
  } catch (error) {
    const { name, message, cause } = error as Error & { cause?: { code?: string } };
    return { operation: operation.name, startedAt, finishedAt: clock(), status: null, networkError: cause?.code ?? `${name}: ${message}`, errors: [] };
  }
}

function graphqlErrors(body: string): ErrorRecord[] {
  let parsed: { errors?: Array<{ extensions?: { code?: unknown; city?: unknown } }> };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // Not a GraphQL answer at all (a proxy's error page, say): an error of its own kind, never a pass.
    return [{ code: 'NOT_GRAPHQL', city: null }];
  }
  return (parsed.errors ?? []).map((error) => ({
    code: typeof error.extensions?.code === 'string' ? error.extensions.code : 'NO_CODE',
    city: typeof error.extensions?.city === 'string' ? error.extensions.city : null,
  }));
}

/** A reader of the dashboard: opens pages one after another until the time is up, pausing to read in between. */
async function dashboardUser(index: number, gatewayUrl: string, registry: Registry, options: Options, until: number, clock: () => number, records: RequestRecord[]) {
  const client: Client = { locale: index % 2 === 0 ? 'de' : 'en', address: `10.0.${Math.floor(index / 250)}.${(index % 250) + 1}` };
  const think = () => options.thinkMs * (0.5 + Math.random());
  // Users arrive spread over one think time, not all in the same millisecond.
  await sleep(Math.random() * options.thinkMs);
  while (clock() < until) {
    const page: Page = pick(Object.values(PAGES));
    records.push(...(await Promise.all(page(registry).map((operation) => send(gatewayUrl, operation, client, clock)))));
    await sleep(think());
  }
}

/** Stops the city at --restart-at and starts it again --down seconds later; down lasts until its /health answers. */
async function restartCity(supervisor: Supervisor, registry: Registry, options: Options, graceMs: number, clock: () => number): Promise<Outage> {
  const member = findMember(registry, options.city);
  await sleepUntil(clock, options.restartAtS * 1000);
  const downAt = clock();
  await supervisor.stop(cityProcessName(member.id), options.signal);
  const exitedAt = clock();
  await sleepUntil(clock, downAt + options.downS * 1000);
  const restartedAt = clock();
  const [upAt] = await Promise.all([waitForHealth(healthUrl(member.port), clock), supervisor.resume(cityProcessName(member.id))]);
  return { city: member.id, signal: options.signal, downAt, exitedAt, restartedAt, upAt, graceMs };
}

async function waitForHealth(url: string, clock: () => number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return clock();
    } catch {
      // not listening yet
    }
    await sleep(HEALTH_POLL_MS);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Ready means: every page's query answers without errors, for every city. Also warms up the caches of each process. */
async function waitUntilReady(gatewayUrl: string, registry: Registry): Promise<void> {
  const operations = [
    ...PAGES.overview(),
    ...PAGES.comparison(),
    { name: 'Members', query: MEMBERS, variables: {} },
    ...registry.members.map((member) => ({ name: 'CityDetails', query: CITY_DETAILS, variables: { id: member.id, from: FIRST_YEAR, to: new Date().getFullYear() } })),
  ];
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answers = await Promise.all(operations.map((operation) => send(gatewayUrl, operation, { locale: 'en', address: '10.255.0.1' }, () => performance.now())));
    const failed = answers.find((answer) => answer.status !== 200 || answer.errors.length > 0);
    if (!failed) return;
    if (Date.now() > deadline) throw new Error(`the federation is not ready: ${failed.operation} answered ${failed.status ?? failed.networkError} ${JSON.stringify(failed.errors)}`);
    await sleep(500);
  }
}

/** Gateway, database and forum at base, base + 1, base + 2; the cities from base + 10. */
const portsFrom = (base: number, cities: number) => [base, base + 1, base + 2, ...Array.from({ length: cities }, (_, index) => base + 10 + index)];

/** The figures, readable, then every request on a line of its own: a few thousand lines rather than a few hundred thousand. */
function resultJson(figures: Record<string, unknown>, records: readonly RequestRecord[]): string {
  // Times to a tenth of a millisecond: the clock's microseconds are noise here.
  const rounded = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10) / 10 : value);
  const requests = records
    .slice()
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((record) => `    ${JSON.stringify(record, rounded)}`);
  const head = JSON.stringify(figures, rounded, 2).replace(/\n}$/, '');
  return `${head},\n  "requests": [\n${requests.join(',\n')}\n  ]\n}\n`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function printReport(summary: LoadSummary, outage: Outage, options: Options, durationMs: number): void {
  const { latencyMs } = summary;
  console.log(
    `\nOutage of ${outage.city}: ${outage.signal} at ${seconds(outage.downAt)}, exited at ${seconds(outage.exitedAt)}, ` +
      `started again at ${seconds(outage.restartedAt)}, /health answered at ${seconds(outage.upAt)}: down ${seconds(outage.upAt - outage.downAt)}.`,
  );
  console.table({
    users: { value: options.users },
    'duration (s)': { value: Math.round(durationMs / 100) / 10 },
    requests: { value: summary.requests },
    'requests/s': { value: summary.requestsPerSecond },
    'requests with GraphQL errors': { value: summary.requestsWithErrors },
  });
  console.log('HTTP status of the answers');
  console.table(Object.fromEntries(Object.entries(summary.httpStatus).map(([status, requests]) => [status, { requests }])));
  console.log('GraphQL errors by code and city');
  console.table(Object.keys(summary.errorsByCodeAndCity).length === 0 ? { none: { errors: 0 } } : Object.fromEntries(Object.entries(summary.errorsByCodeAndCity).map(([key, errors]) => [key, { errors }])));
  console.log('Latency (ms), from sending to the last byte of the answer');
  console.table({ 'all requests': latencyMs.all, ...latencyMs.byOperation });
  console.log('Latency (ms) by phase of the outage (during: in flight between the stop and /health answering again)');
  console.table(latencyMs.byPhase);
  console.log(`Every 5 s (by when requests were sent); latency in ms`);
  console.table(
    Object.fromEntries(
      summary.timeline.map((slice) => [
        `${slice.fromS}-${slice.toS} s${slice.cityDown ? ` (${outage.city} down)` : ''}`,
        { requests: slice.requests, withErrors: slice.withErrors, p50: slice.p50, p95: slice.p95 },
      ]),
    ),
  );
  const { p50, p95 } = summary.outageSlowdown;
  console.log(`Latency (ms) during the outage against before it`);
  console.table({ p50: p50, p95: p95 });
  const { noServerErrors, errorsOnlyFromTheOutage, fastDuringTheOutage } = summary.acceptance;
  console.log(`${noServerErrors.pass ? 'PASS' : 'FAIL'}  (a) no 5xx and no network error from the gateway: ${noServerErrors.detail}`);
  console.log(`${errorsOnlyFromTheOutage.pass ? 'PASS' : 'FAIL'}  (b) errors only for ${outage.city} while it was down: ${errorsOnlyFromTheOutage.detail}`);
  console.log(`${fastDuringTheOutage.pass ? 'PASS' : 'FAIL'}  (c) about as fast while ${outage.city} was down: ${fastDuringTheOutage.detail}`);
}

async function main(): Promise<void> {
  const options = readOptions();
  if (!options) {
    console.log(USAGE);
    return;
  }
  const checkedIn = loadRegistry();
  findMember(checkedIn, options.city);
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const resultsDir = fromProjectRoot('bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const resultFile = path.join(resultsDir, `load-${stamp}.json`);
  const logFile = path.join(resultsDir, `load-${stamp}.log`);

  // Ports of its own, so that it runs beside `npm start` and the tests; the children read the shifted registry.
  const base = await freePortBase((candidate) => portsFrom(candidate, checkedIn.members.length));
  const workdir = mkdtempSync(path.join(os.tmpdir(), 'ifh-load-'));
  const membersFile = path.join(workdir, 'members.json');
  writeRegistryOnPorts(membersFile, base);
  const registry = loadRegistry(membersFile);

  const { DATABASE_URL: _ignored, ...environment } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...environment,
    MEMBERS_FILE: membersFile,
    EMBEDDED_DB_PORT: String(base + 1),
    EMBEDDED_DB_DIR: 'memory://',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The users all connect from this machine; their own addresses come in X-Forwarded-For, as behind a proxy.
    TRUST_PROXY: 'loopback',
  };
  const gatewayConfig = readGatewayConfig(env);
  // After /health answers, the gateway may still answer for the city from its open circuit breaker until the
  // cool-down ends, and then wait for the probe: one cool-down plus one time limit. An answer missing the city that
  // was kept just before the probe is served for as long as such answers are kept (RESPONSE_CACHE_PARTIAL_TTL_MS).
  const breakerOn = gatewayConfig.breaker.failures > 0 && gatewayConfig.breaker.cooldownMs > 0;
  const graceMs = gatewayConfig.subgraphTimeoutMs + (breakerOn ? gatewayConfig.breaker.cooldownMs : 0) + gatewayConfig.responseCache.partialTtlMs;
  const log = createWriteStream(logFile);
  const supervisor = new Supervisor({
    output: (name, line) => log.write(`${name.padEnd(18)} ${line}\n`),
    notice: (message) => {
      log.write(`${'supervisor'.padEnd(18)} ${message}\n`);
      console.log(`  supervisor: ${message}`);
    },
  });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= supervisor.stopAll().finally(() => rmSync(workdir, { recursive: true, force: true })));
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));

  const environmentDescription = machine();
  console.log(
    `Load test: ${options.users} dashboard users for ${options.durationS} s; ${options.city} stopped (${options.signal}) at ${options.restartAtS} s for ${options.downS} s.\n` +
      `Machine: ${environmentDescription.cpu}, ${environmentDescription.memoryGb} GB, Node ${environmentDescription.node}, load average ${environmentDescription.loadAverageAtStart.join(' ')}.`,
  );
  try {
    const starting = performance.now();
    await startFederation(supervisor, {
      registry,
      gatewayPort: base,
      databaseUrl: options.databaseUrl,
      embedded: readEmbeddedPostgresConfig(env),
      demoData: true,
      env,
      // A process each: the outage stops one city's process, and only that city may go down.
      citiesPerProcess: 1,
    });
    const gatewayUrl = `http://127.0.0.1:${base}/graphql`;
    await waitUntilReady(gatewayUrl, registry);
    console.log(`Federation ready in ${seconds(performance.now() - starting)} (${options.databaseUrl ? 'PostgreSQL at --database-url' : 'embedded PostgreSQL in memory'}, gateway on :${base}); load running...`);

    const startedAt = new Date().toISOString();
    const begin = performance.now();
    const loadClock = () => performance.now() - begin;
    const records: RequestRecord[] = [];
    const until = options.durationS * 1000;
    const [outage] = await Promise.all([
      restartCity(supervisor, registry, options, graceMs, loadClock),
      ...Array.from({ length: options.users }, (_, index) => dashboardUser(index, gatewayUrl, registry, options, until, loadClock, records)),
    ]);
    const durationMs = loadClock();

    const summary = summarize(records, durationMs, outage);
    printReport(summary, outage, options, durationMs);
    writeFileSync(resultFile, resultJson({ startedAt, machine: environmentDescription, options, outage, durationMs: Math.round(durationMs), ...summary }, records));
    console.log(`\nFigures: ${path.relative(process.cwd(), resultFile)}; messages of the processes: ${path.relative(process.cwd(), logFile)}`);
    // (c) is reported, not enforced: speed on a shared machine says as much about the neighbours as about the hub.
    if (!summary.acceptance.noServerErrors.pass || !summary.acceptance.errorsOnlyFromTheOutage.pass) process.exitCode = 1;
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n(messages of the processes: ${path.relative(process.cwd(), logFile)})`);
  } finally {
    await stop();
    log.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
