import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ProcessSpec {
  name: string;
  /** Script to run with this Node binary, and its arguments. */
  script: string;
  args?: string[];
  /** Options for Node itself (`--max-semi-space-size=1`). */
  nodeOptions?: string[];
  env: NodeJS.ProcessEnv;
  /** Each answers 200 once the process serves (a process hosting several cities has one per city); the supervisor waits for all. */
  healthUrls?: string[];
  /** Restart after an unexpected exit (subgraphs: one city down must not stay down). */
  restart: boolean;
}

export interface SupervisorEvents {
  /** A line the process wrote (its JSON log, or anything else). */
  output: (name: string, line: string) => void;
  /** The supervisor's own messages. */
  notice: (message: string) => void;
}

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  startedAt: number;
  restarts: number;
}

const MAX_RESTART_DELAY_MS = 30_000;
/** A process that ran this long before crashing starts over with the shortest restart delay. */
const STABLE_AFTER_MS = 60_000;

/**
 * Starts processes, waits until they are healthy, restarts crashed ones with backoff, and stops them in reverse
 * order. Children get an IPC channel, so they also stop when the supervisor itself dies.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  /** Processes stopped on purpose (`stop`): not restarted until `resume`. */
  private readonly stopped = new Map<string, ProcessSpec>();
  private stopping = false;

  constructor(private readonly events: SupervisorEvents) {}

  async start(spec: ProcessSpec, timeoutMs = 60_000): Promise<void> {
    const running = this.spawn(spec, 0);
    if (spec.healthUrls?.length) await this.waitHealthy(running, timeoutMs);
  }

  /** Stops everything, the most recently started first (gateway before subgraphs before the database). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const running of [...this.running.values()].reverse()) {
      running.child.kill('SIGTERM');
      const timer = setTimeout(() => running.child.kill('SIGKILL'), 15_000);
      await running.exited;
      clearTimeout(timer);
    }
    this.running.clear();
  }

  /**
   * Stops one process on purpose and leaves it down (no automatic restart) until `resume`: an outage whose length
   * the caller decides, as the load benchmark needs. Resolves once the process has exited.
   */
  async stop(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const running = this.running.get(name);
    if (!running) throw new Error(`${name} is not running`);
    // Out of the table first: onExit then sees a process that is no longer ours to restart.
    this.running.delete(name);
    this.stopped.set(name, running.spec);
    this.events.notice(`${name} stopped on purpose (${signal}).`);
    running.child.kill(signal);
    const timer = setTimeout(() => running.child.kill('SIGKILL'), 15_000);
    await running.exited;
    clearTimeout(timer);
  }

  /** The running processes by name, with their process ids: what a benchmark reads their memory by. */
  processIds(): Map<string, number> {
    return new Map([...this.running].flatMap(([name, running]) => (running.child.pid === undefined ? [] : [[name, running.child.pid] as const])));
  }

  /** Starts a process stopped with `stop` again and waits until it is healthy. */
  async resume(name: string, timeoutMs = 60_000): Promise<void> {
    const spec = this.stopped.get(name);
    if (!spec) throw new Error(`${name} was not stopped with stop()`);
    this.stopped.delete(name);
    await this.start(spec, timeoutMs);
  }

  private spawn(spec: ProcessSpec, restarts: number): Running {
    const child = spawn(process.execPath, [...(spec.nodeOptions ?? []), spec.script, ...(spec.args ?? [])], {
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group: Ctrl-C reaches only the supervisor, which then stops everything in order.
      detached: true,
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.events.output(spec.name, line));
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const running: Running = { spec, child, exited, startedAt: Date.now(), restarts };
    this.running.set(spec.name, running);
    void exited.then((code) => this.onExit(running, code));
    return running;
  }

  private onExit(running: Running, code: number | null): void {
    if (this.stopping || this.running.get(running.spec.name) !== running) return;
    const restarts = Date.now() - running.startedAt > STABLE_AFTER_MS ? 0 : running.restarts + 1;
    if (!running.spec.restart) {
      this.events.notice(`${running.spec.name} exited (code ${code}).`);
      return;
    }
    const delay = Math.min(1_000 * 2 ** Math.max(restarts - 1, 0), MAX_RESTART_DELAY_MS);
    this.events.notice(`${running.spec.name} exited (code ${code}); restarting in ${delay / 1000} s.`);
    setTimeout(() => {
      if (!this.stopping) this.spawn(running.spec, restarts);
    }, delay).unref();
  }

  private async waitHealthy(running: Running, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void running.exited.then((code) => (exitCode = code));
    const waiting = new Set(running.spec.healthUrls);
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`${running.spec.name} exited during start-up (code ${exitCode}); see its messages above`);
      for (const url of waiting) {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
          if (response.ok) waiting.delete(url);
        } catch {
          // not listening yet
        }
      }
      if (waiting.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`${running.spec.name} did not become healthy within ${timeoutMs / 1000} s (still waiting for ${[...waiting].join(', ')})`);
  }
}
