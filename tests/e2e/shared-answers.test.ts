/**
 * Identical questions in flight at once share one answer (gateway/plugins/use-shared-answers.ts), as the gateway
 * ships: readers who open the same page at the same moment cost one run of the query plan, and readers of different
 * audiences never get each other's answers. Real processes and PostgreSQL; the gateway's own `/metrics` counts the
 * answers it shared.
 */
import { TestFederation, METRICS_TOKEN, contractOperation, type GraphQLResponse } from '../support/federation';

let federation: TestFederation;

beforeAll(async () => {
  federation = await TestFederation.start();
}, 120_000);

afterAll(async () => {
  await federation?.stop();
});

async function sharedSoFar(): Promise<number> {
  const text = await (await fetch(new URL('/metrics', federation.gatewayUrl), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('gateway_answers_shared_total'));
  if (!line) throw new Error('the gateway reports no gateway_answers_shared_total');
  return Number(line.split(' ').at(-1));
}

async function ask(document: string, variables: Record<string, unknown>, token?: string, url = federation.gatewayUrl) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: document, variables }),
  });
  return { fromCache: response.headers.has('age'), body: (await response.json()) as GraphQLResponse['body'] };
}

const BREAKDOWN = `query ($year: Int!) {
  municipality(id: "duisburg") { staff(year: $year) { headcount byUnit { unit withMigrationHistory suppressed { field reason } } } }
}`;

it('answers forty readers asking the same question at once mostly by running it once, each getting the same answer', async () => {
  const readers = 40;
  const before = await sharedSoFar();
  // A year no other test here asks for, and not the latest (the gateway's warm-up has that one cached).
  const answers = await Promise.all(Array.from({ length: readers }, () => ask(contractOperation('city-comparison'), { year: 2014 })));
  const shared = (await sharedSoFar()) - before;
  const fromCache = answers.filter((answer) => answer.fromCache).length;
  for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
  expect(answers[0]!.body.errors).toBeUndefined();
  expect(shared).toBeGreaterThan(0);
  // Every reader is answered by sharing, from the cache, or by running the question itself; few run it themselves.
  expect(readers - shared - fromCache).toBeLessThan(readers / 2);
});

it('shares an answer only within its audience: the public, members and Duisburg’s HR asking at once each get their own', async () => {
  const audiences = { public: undefined, member: federation.token({ sub: 'analyst', roles: ['member'] }), hr: federation.token({ sub: 'hr-duisburg', roles: ['hr'], city: 'duisburg' }) };
  const names = Object.keys(audiences) as Array<keyof typeof audiences>;
  const before = await sharedSoFar();
  const answers = await Promise.all(Array.from({ length: 36 }, (_, index) => names[index % 3]!).map(async (audience) => ({ audience, answer: await ask(BREAKDOWN, { year: 2015 }, audiences[audience]) })));
  expect((await sharedSoFar()) - before).toBeGreaterThan(0);

  // Cache and sharing off on this extra gateway only: ground truth must be each audience's answer worked out alone.
  const alone = await federation.startExtraGateway({ RESPONSE_CACHE_TTL_MS: '0', SHARE_ANSWERS_IN_FLIGHT: 'false' });
  try {
    const truth = new Map<string, unknown>();
    for (const audience of names) truth.set(audience, (await ask(BREAKDOWN, { year: 2015 }, audiences[audience], alone.url)).body);
    // The answers really differ (the public sees no breakdown), or this test could not tell them apart.
    expect(new Set([...truth.values()].map((body) => JSON.stringify(body))).size).toBeGreaterThanOrEqual(2);
    for (const { audience, answer } of answers) expect({ audience, body: answer.body }).toEqual({ audience, body: truth.get(audience) });
  } finally {
    await alone.stop();
  }
});
