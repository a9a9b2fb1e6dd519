/** The launcher's plain parts: how the cities are spread over processes, and which of its ports are taken. */
import { createServer, type Server } from 'node:net';
import { cityProcesses } from '../../services/tools/launcher/federation';
import { portsInUse, portsInUseMessage } from '../../services/tools/launcher/ports-in-use';

describe('cityProcesses', () => {
  const cities = ['bochum', 'dortmund', 'duisburg', 'essen', 'gelsenkirchen', 'herne', 'muelheim', 'oberhausen'];

  it('puts the cities in groups of the size asked, in the registry order', () => {
    expect(cityProcesses(cities, 4)).toEqual([cities.slice(0, 4), cities.slice(4)]);
    expect(cityProcesses(cities, 3).map((group) => group.length)).toEqual([3, 3, 2]);
  });

  it('gives each city a process of its own at 1, and one process for all at the count or more', () => {
    expect(cityProcesses(cities, 1)).toEqual(cities.map((city) => [city]));
    expect(cityProcesses(cities, 8)).toEqual([cities]);
    expect(cityProcesses(cities, 100)).toEqual([cities]);
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    expect(() => cityProcesses(cities, 0)).toThrow('at least 1');
    expect(() => cityProcesses(cities, 1.5)).toThrow('at least 1');
  });
});

describe('portsInUse', () => {
  let occupied: Server;
  let occupiedPort: number;

  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    occupiedPort = (occupied.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it('names the ports something listens on, and only those', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const freePort = (free.address() as { port: number }).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));

    const taken = await portsInUse([
      { port: freePort, purpose: 'the forum' },
      { port: occupiedPort, purpose: 'the gateway, PORT' },
    ]);
    expect(taken).toEqual([{ port: occupiedPort, purpose: 'the gateway, PORT' }]);
    expect(portsInUseMessage(taken)).toBe(
      `port already in use: ${occupiedPort} (the gateway, PORT). Is the hub already running (another npm start)? ` +
        'Stop it first, or move this one: PORT, EMBEDDED_DB_PORT, IDP_PORT, and the ports in MEMBERS_FILE.',
    );
  });

  it('leaves a free port free after looking', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect(await portsInUse([{ port, purpose: 'x' }])).toEqual([]);
    expect(await portsInUse([{ port, purpose: 'x' }])).toEqual([]);
  });
});
