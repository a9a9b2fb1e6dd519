/**
 * Graceful shutdown: a service told to stop (SIGTERM) takes no new requests, lets the ones in flight finish and
 * then exits 0; a submission under way when the signal comes is answered and stored whole.
 * The submission is held in flight deterministically: the test locks Duisburg's staff table until the signal
 * has been handled. Schema under test: schema/supergraph.graphql; an extra Duisburg process and extra gateways.
 */
import { TestFederation } from '../support/federation';
import type { ServiceProcess } from '../support/processes';

let federation: TestFederation;
let hr: string;

beforeAll(async () => {
  federation = await TestFederation.start();
  hr = federation.token({ sub: 'hr-duisburg', name: 'Petra Personal', roles: ['hr'], city: 'duisburg' });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
});

const SUBMIT = `mutation ($input: StaffFiguresInput!) { duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { staff { year headcount revision { number } } } } }`;

async function waitFor(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs `whileHeld` with Duisburg's staff table locked, so that any submission to it waits in flight. */
async function withStaffTableLocked(whileHeld: () => Promise<void>): Promise<void> {
  await federation.database.query('BEGIN');
  try {
    await federation.database.query('LOCK TABLE city_duisburg.staff_figures IN ACCESS EXCLUSIVE MODE');
    await whileHeld();
  } finally {
    await federation.database.query('COMMIT');
  }
}

async function aSubmissionIsWaiting(): Promise<boolean> {
  const [row] = await federation.database.query<{ waiting: number }>(
    `SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted AND relation = 'city_duisburg.staff_figures'::regclass`,
  );
  return row!.waiting > 0;
}

async function storedRevisions(year: number): Promise<number> {
  const [row] = await federation.database.query<{ n: number }>('SELECT count(*)::int AS n FROM city_duisburg.staff_figures WHERE year = $1', [year]);
  return row!.n;
}

function submit(gatewayUrl: string, year: number) {
  return federation.query(SUBMIT, { input: { year, headcount: 9000, respondents: 5000, withMigrationHistory: 1200, reason: 'annual survey' } }, { token: hr, url: gatewayUrl });
}

function signalled(service: ServiceProcess): boolean {
  return service.output.some((line) => line.includes('"shutting down"'));
}

describe('a city subgraph stopped during a submission', () => {
  let city: ServiceProcess;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    city = await federation.startExtraCity('duisburg', {});
    gateway = await federation.startExtraGateway({ SUBGRAPH_URL_DUISBURG: city.url, SUBGRAPH_TIMEOUT_MS_DUISBURG: '30000' });
  });
  afterAll(async () => {
    await gateway.stop();
    await city.stop('SIGKILL');
  });

  it('refuses new connections, finishes the submission, stores it whole and exits 0', async () => {
    let answer: ReturnType<typeof submit> | undefined;
    await withStaffTableLocked(async () => {
      answer = submit(gateway.url, 2025);
      await waitFor(aSubmissionIsWaiting, 'the submission to wait for the lock');
      city.child.kill('SIGTERM');
      await waitFor(() => signalled(city), 'the city to handle SIGTERM');
      expect(city.running).toBe(true);
      await expect(fetch(new URL('/health', city.url))).rejects.toThrow();
    });

    const response = await answer!;
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.duisburg.submitStaffFigures.staff).toMatchObject({ year: 2025, headcount: 9000, revision: { number: 1 } });
    expect(await city.exited).toBe(0);
    expect(await storedRevisions(2025)).toBe(1);
  });
});

describe('the gateway stopped while a request is in flight', () => {
  let gateway: ServiceProcess;

  beforeAll(async () => {
    gateway = await federation.startExtraGateway({ SUBGRAPH_TIMEOUT_MS_DUISBURG: '30000' });
  });
  afterAll(() => gateway.stop('SIGKILL'));

  it('answers it before exiting 0', async () => {
    let answer: ReturnType<typeof submit> | undefined;
    await withStaffTableLocked(async () => {
      answer = submit(gateway.url, 2026);
      await waitFor(aSubmissionIsWaiting, 'the submission to wait for the lock');
      gateway.child.kill('SIGTERM');
      await waitFor(() => signalled(gateway), 'the gateway to handle SIGTERM');
      expect(gateway.running).toBe(true);
    });

    const response = await answer!;
    expect(response.status).toBe(200);
    expect(response.body.data!.duisburg.submitStaffFigures.staff).toMatchObject({ year: 2026, revision: { number: 1 } });
    expect(await gateway.exited).toBe(0);
    expect(await storedRevisions(2026)).toBe(1);
  });
});
