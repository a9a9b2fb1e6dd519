/**
 * Mutual TLS between the gateway and the subgraphs (docs/deployment.md): with the certificates `npm run certs` makes,
 * a city and the forum serve HTTPS and let in only a client with a certificate from the hub's CA, and the gateway
 * presents its own and checks theirs. The contract answers through that gateway; a client without a certificate, or
 * with one from another CA, is turned away in the handshake; a gateway that trusts another CA does not talk to them.
 * Schema under test: schema/supergraph.graphql; every service its own process, Duisburg and the forum over TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestFederation, contractOperation } from '../support/federation';
import { distScript, parseLogLine, type ServiceProcess } from '../support/processes';

let federation: TestFederation;
let certificates: string;
/** The same command's certificates in another folder: another CA, whose client certificate means nothing to ours. */
let strangers: string;
let city: ServiceProcess;
let forum: ServiceProcess;
let gateway: ServiceProcess;

const certs = (dir: string) => execFileSync(process.execPath, [distScript('schema', 'certs.js'), '--out', dir], { encoding: 'utf8' });
const file = (dir: string, name: string) => path.join(dir, name);
const serverTls = (dir: string, host: string) => ({
  TLS_CERT_FILE: file(dir, `${host}.crt`),
  TLS_KEY_FILE: file(dir, `${host}.key`),
  TLS_CLIENT_CA_FILE: file(dir, 'ca.crt'),
  HEALTH_PORT: '0',
});
const gatewayTls = (dir: string) => ({
  SUBGRAPH_TLS_CA_FILE: file(dir, 'ca.crt'),
  SUBGRAPH_TLS_CERT_FILE: file(dir, 'gateway.crt'),
  SUBGRAPH_TLS_KEY_FILE: file(dir, 'gateway.key'),
});

beforeAll(async () => {
  certificates = mkdtempSync(path.join(tmpdir(), 'ifh-certs-'));
  strangers = mkdtempSync(path.join(tmpdir(), 'ifh-certs-'));
  expect(certs(certificates)).toMatch(/made in .*ca\.crt, forum\.crt, city-bochum\.crt.*gateway\.crt/);
  certs(strangers);
  federation = await TestFederation.start();
  [city, forum] = await Promise.all([
    federation.startExtraCity('duisburg', serverTls(certificates, 'city-duisburg')),
    federation.startExtraForum(serverTls(certificates, 'forum')),
  ]);
  gateway = await federation.startExtraGateway({ SUBGRAPH_URL_DUISBURG: city.url, SUBGRAPH_URL_FORUM: forum.url, ...gatewayTls(certificates) });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([city?.stop(), forum?.stop()]);
  await federation?.stop();
  for (const dir of [certificates, strangers]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A request straight to Duisburg's subgraph, with the TLS options given; resolves with the HTTP status or rejects. */
function callCity(options: https.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.request(city.url, { method: 'POST', headers: { 'content-type': 'application/json' }, ...options }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    request.on('error', reject);
    request.end(JSON.stringify({ query: '{ _service { sdl } }' }));
  });
}

it('are made by the documented command: a CA, a server certificate per subgraph, the gateway\'s client certificate', () => {
  expect(city.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
  expect(forum.url).toMatch(/^https:/);
  // Run again, it keeps what is there.
  expect(certs(certificates)).toMatch(/complete; nothing made/);
});

it('carry the contract through the gateway', async () => {
  const trend = await federation.query(contractOperation('city-trend'), { id: 'duisburg', from: 2020, to: 2024 }, { url: gateway.url });
  expect(trend.body.errors).toBeUndefined();
  expect(trend.body.data!.municipality.staffSeries).toHaveLength(5);
  const progress = await federation.query(contractOperation('forum-progress'), { year: 2024 }, { url: gateway.url });
  expect(progress.body.errors).toBeUndefined();
});

it("let the gateway's readiness probe in, with the gateway's certificate", async () => {
  const ready = (await (await fetch(new URL('/ready', gateway.url))).json()) as { subgraphs: Record<string, { ok: boolean }> };
  expect(ready.subgraphs.duisburg).toMatchObject({ ok: true });
  expect(ready.subgraphs.forum).toMatchObject({ ok: true });
});

it('turn away a client without a certificate in the handshake', async () => {
  const refused = callCity({ ca: readFileSync(file(certificates, 'ca.crt')) });
  await expect(refused).rejects.toMatchObject({ code: expect.stringMatching(/^(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE|ECONNRESET)$/) });
});

it('turn away a client with a certificate from another CA in the handshake', async () => {
  const refused = callCity({
    ca: readFileSync(file(certificates, 'ca.crt')),
    cert: readFileSync(file(strangers, 'gateway.crt')),
    key: readFileSync(file(strangers, 'gateway.key')),
  });
  await expect(refused).rejects.toMatchObject({ code: expect.stringMatching(/^(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA|ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE|ECONNRESET)$/) });
});

it("turn away another subgraph's server certificate offered as a client certificate: a city cannot call a city", async () => {
  const refused = callCity({
    ca: readFileSync(file(certificates, 'ca.crt')),
    cert: readFileSync(file(certificates, 'city-bochum.crt')),
    key: readFileSync(file(certificates, 'city-bochum.key')),
  });
  await expect(refused).rejects.toMatchObject({ code: expect.stringMatching(/^(ERR_SSL_TLSV1_ALERT_UNSUPPORTED_CERTIFICATE|ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE|ECONNRESET)$/) });
});

it('let in the gateway\'s certificate, and then ask for the gateway\'s credential as ever', async () => {
  const status = await callCity({
    ca: readFileSync(file(certificates, 'ca.crt')),
    cert: readFileSync(file(certificates, 'gateway.crt')),
    key: readFileSync(file(certificates, 'gateway.key')),
  });
  expect(status).toBe(401);
});

it('answer health checks without a certificate on their health port, and nothing else there', async () => {
  const line = city.output.map(parseLogLine).find((entry) => entry?.msg === 'health checks answered without a client certificate');
  const health = new URL(String(line!.url));
  expect((await fetch(health)).status).toBe(200);
  expect((await fetch(new URL('/graphql', health), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status).toBe(404);
});

it('are not called by a gateway that trusts another CA', async () => {
  const doubtful = await federation.startExtraGateway({ SUBGRAPH_URL_DUISBURG: city.url, SUBGRAPH_URL_FORUM: forum.url, ...gatewayTls(strangers) });
  try {
    const trend = await federation.query(contractOperation('city-trend'), { id: 'duisburg', from: 2020, to: 2024 }, { url: doubtful.url });
    // Duisburg's figures, or the forum's answer that names the city, are missing: neither was called.
    expect((trend.body.errors ?? []).map((error) => error.extensions?.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^(CITY|SUBGRAPH)_UNAVAILABLE$/)]));
  } finally {
    await doubtful.stop();
  }
});
