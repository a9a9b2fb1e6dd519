import { createServer } from 'node:net';
import os from 'node:os';

/**
 * A random base port whose ports (as `layout` places them from the base) are all free now. Below the ephemeral
 * range (32768 and up), where outgoing connections take ports at any moment; tests on the same machine pick random
 * ports in this range too, hence the check.
 */
export async function freePortBase(layout: (base: number) => number[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 11_000);
    const free = await Promise.all(layout(base).map(portFree));
    if (free.every(Boolean)) return base;
  }
  throw new Error('found no free ports between 20000 and 32000');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** What a figure was measured on: without it, a benchmark's numbers cannot be compared with another run's. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown'}`,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
