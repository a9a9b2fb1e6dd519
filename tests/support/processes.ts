import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../services/common/project-root';

/** The checkout (tests run compiled, from dist/tests, so not relative to this file). */
export const ROOT = projectRoot();
export const DIST = path.join(ROOT, 'dist');

export function distScript(...segments: string[]): string {
  const script = path.join(DIST, ...segments);
  if (!existsSync(script)) throw new Error(`${path.relative(ROOT, script)} is missing: run \`npm run build\` (npm test does)`);
  return script;
}

/** A service started as its own process, as in production; its log lines are kept for failure messages. */
export class ServiceProcess {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  url = '';

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.output.push(line);
        if (this.output.length > 400) this.output.shift();
      });
    }
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts a service and waits for the log line that says it is ready (services log their URL then).
   * @param commandPrefix runs the service through another command that ends by exec'ing it, such as
   *   `ip netns exec <namespace>`, so that its pid is the service's own and signals reach it.
   */
  static async start(
    name: string,
    script: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    // Two suites start a federation each at once on two cores, and every service makes its database roles first.
    timeoutMs = 90_000,
    commandPrefix: readonly string[] = [],
  ): Promise<ServiceProcess> {
    const [command, ...commandArgs] = [...commandPrefix, process.execPath, script, ...args] as [string, ...string[]];
    const child = spawn(command, commandArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const service = new ServiceProcess(name, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Nobody will stop a service that never reported ready.
        child.kill('SIGKILL');
        reject(new Error(`${name} not ready within ${timeoutMs} ms:\n${service.log()}`));
      }, timeoutMs);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const entry = parseLogLine(line);
        if (entry?.url && typeof entry.msg === 'string' && entry.msg.endsWith('ready')) {
          service.url = String(entry.url);
          clearTimeout(timer);
          resolve();
        }
      });
      void service.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code}) during start-up:\n${service.log()}`));
      });
    });
    return service;
  }

  log(): string {
    return this.output.slice(-40).join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function parseLogLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
