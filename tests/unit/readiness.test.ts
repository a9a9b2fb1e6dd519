/**
 * The gateway's `/ready` report (gateway/readiness.ts) against real HTTP services: members behind one regional hub
 * share its address, and its `/health` is asked once for all of them, while each is still reported by name.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readiness } from '../../gateway/readiness';

let asked: string[] = [];
const servers: Server[] = [];

async function healthService(status: number): Promise<string> {
  const server = createServer((request, response) => {
    asked.push(`${(server.address() as AddressInfo).port}${request.url}`);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: status === 200 ? 'ok' : 'degraded' }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

beforeEach(() => {
  asked = [];
});

describe('the readiness report', () => {
  it("asks a regional hub's /health once for all its members, and lists each member", async () => {
    const hub = await healthService(200);
    const ownService = await healthService(200);
    const readiness = new Readiness(
      () => [
        { name: 'bochum', url: hub, city: 'bochum' },
        { name: 'herne', url: hub, city: 'herne' },
        { name: 'duisburg', url: ownService, city: 'duisburg' },
      ],
      1_000,
    );
    const report = await readiness.report();
    expect(asked.filter((line) => line.startsWith(new URL(hub).port))).toHaveLength(1);
    expect(asked).toHaveLength(2);
    expect(report.degraded).toBe(false);
    expect(report.subgraphs).toEqual({
      bochum: expect.objectContaining({ ok: true, city: 'bochum', httpStatus: 200 }),
      herne: expect.objectContaining({ ok: true, city: 'herne', httpStatus: 200 }),
      duisburg: expect.objectContaining({ ok: true, city: 'duisburg', httpStatus: 200 }),
    });
  });

  it('names every member of a hub that answers with an error as unreachable', async () => {
    const hub = await healthService(503);
    const readiness = new Readiness(
      () => [
        { name: 'bochum', url: hub, city: 'bochum' },
        { name: 'herne', url: hub, city: 'herne' },
      ],
      1_000,
    );
    const report = await readiness.report();
    expect(report.degraded).toBe(true);
    expect(report.unreachable).toEqual(['bochum', 'herne']);
  });
});
