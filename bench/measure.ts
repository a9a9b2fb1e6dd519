import { readFileSync } from 'node:fs';

export interface LatencyFigures {
  requests: number;
  /** Requests whose answer was not complete and free of errors (a city timed out, say); their latency counts too. */
  failed: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

export function latencyFigures(latenciesMs: readonly number[], elapsedMs: number, failed = 0): LatencyFigures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    failed,
    requestsPerSecond: Math.round((sorted.length / elapsedMs) * 1000),
    p50: oneDecimal(percentile(sorted, 50)),
    p95: oneDecimal(percentile(sorted, 95)),
    p99: oneDecimal(percentile(sorted, 99)),
  };
}

/**
 * `clients` callers, each sending its next request as soon as its previous one is answered (a closed loop, as
 * load generators like wrk do), until `requests` requests in all have been sent. `send` throws when an answer is
 * not what it must be; such requests are counted as failed, and a measurement with failures says so.
 */
export async function closedLoop(send: () => Promise<void>, clients: number, requests: number): Promise<LatencyFigures> {
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (sent < requests) {
        sent += 1;
        const start = performance.now();
        await send().catch(() => (failed += 1));
        latencies.push(performance.now() - start);
      }
    }),
  );
  return latencyFigures(latencies, performance.now() - began, failed);
}

/** Resident memory of a process now and at its peak (Linux `/proc`), in MB; null where it cannot be read. */
export function residentMemoryMb(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ): 100 on Linux everywhere but exotic builds. */
const USER_HZ = 100;

/** CPU time a process has used so far (user and system), in ms; null where it cannot be read. */
export function cpuTimeMs(pid: number): number | null {
  try {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

/**
 * Waits until the processes are quiet: together under `busyShare` of one core over each of `quietSeconds` seconds in
 * a row, or `maxMs` have passed. A city works out its withheld patterns in the background after it starts; CPU
 * measured before that ends counts that work against the first requests. Returns how long it waited, in ms.
 */
export async function untilQuiet(pids: readonly number[], { busyShare = 0.05, quietSeconds = 2, maxMs = 180_000 } = {}): Promise<number> {
  const started = performance.now();
  const total = () => pids.reduce((sum, pid) => sum + (cpuTimeMs(pid) ?? 0), 0);
  let quiet = 0;
  while (quiet < quietSeconds && performance.now() - started < maxMs) {
    const before = total();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    quiet = total() - before < busyShare * 1_000 ? quiet + 1 : 0;
  }
  return Math.round(performance.now() - started);
}
