import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { registryPath } from '../services/common/registry';

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

/** The member registry as its file holds it (`schema/members.json`, or `MEMBERS_FILE`). */
export interface RegistryJson {
  forum: { port: number };
  members: Array<{ id: string; port: number; units?: unknown }>;
}

/**
 * Writes the member registry to `file` with ports from `base`: the forum on base + 2, the cities from base + 10 (the
 * gateway takes base, embedded PostgreSQL base + 1). A benchmark's processes read it through `MEMBERS_FILE`, so that
 * they run beside `npm start` and the tests.
 */
export function writeRegistryOnPorts(file: string, base: number): RegistryJson {
  const registry = JSON.parse(readFileSync(registryPath(), 'utf8')) as RegistryJson;
  registry.forum.port = base + 2;
  registry.members.forEach((member, index) => (member.port = base + 10 + index));
  writeFileSync(file, JSON.stringify(registry));
  return registry;
}
