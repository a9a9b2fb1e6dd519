import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromProjectRoot } from '../services/common/project-root';
import { writeRegistryOnPorts } from './environment';
import { residentMemoryMb } from './measure';

export interface StartUpFigures {
  /** From starting the launcher until it says the federation is running (its own clock, the same figure users see). */
  readyMs: number;
  /** All processes of the federation together, once it has answered the contract operations. */
  residentMb: number;
  processes: number;
}

/** Every process below `root` (the launcher starts its children in process groups of their own). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ').at(-1)!.split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/**
 * `npm start` as a new user runs it (the launcher, embedded PostgreSQL, demo data), on ports of its own and with
 * its data in `dataDir`: empty for a first start, kept for a later one. Measures how long until it is running and
 * how much memory all its processes hold once they have answered `warmUp`.
 */
export async function measureStartUp(workdir: string, dataDir: string, base: number, warmUp: (gatewayUrl: string) => Promise<void>): Promise<StartUpFigures> {
  const membersFile = path.join(workdir, 'members-start.json');
  writeRegistryOnPorts(membersFile, base);
  const { DATABASE_URL: _unused, ...environment } = process.env;
  const launcher = spawn(process.execPath, [fromProjectRoot('dist', 'services', 'tools', 'launcher', 'main.js')], {
    env: { ...environment, MEMBERS_FILE: membersFile, PORT: String(base), EMBEDDED_DB_PORT: String(base + 1), EMBEDDED_DB_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  launcher.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      launcher.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const ready = /is running .*ready in ([\d.]+) s/.exec(output);
        if (ready) resolve(Math.round(Number(ready[1]) * 1000));
      });
      launcher.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was running:\n${output}`)));
    });
    await warmUp(`http://127.0.0.1:${base}/graphql`);
    const pids = [launcher.pid!, ...descendants(launcher.pid!)];
    const residentMb = pids.reduce((sum, pid) => sum + (residentMemoryMb(pid)?.rss ?? 0), 0);
    return { readyMs, residentMb, processes: pids.length };
  } finally {
    launcher.kill('SIGINT');
    await new Promise((resolve) => (launcher.exitCode === null ? launcher.once('exit', resolve) : resolve(undefined)));
  }
}
