/**
 * The figures of a load run (bench/load.ts) from its request records, and its three acceptance checks. Plain
 * functions over plain data, so that tests/unit/load-summary.test.ts can check them without a federation.
 */

/** One GraphQL error as the gateway sent it: its code and the city it names, if any. */
export interface ErrorRecord {
  code: string;
  city: string | null;
}

/** One request to the gateway. Times are milliseconds since the load began. */
export interface RequestRecord {
  operation: string;
  startedAt: number;
  finishedAt: number;
  /** HTTP status; null when no HTTP answer came (refused, reset, timed out). */
  status: number | null;
  networkError?: string;
  errors: ErrorRecord[];
}

/** When the restarted city was unreachable: from the stop signal until its /health answered again. */
export interface Outage {
  city: string;
  signal: string;
  downAt: number;
  exitedAt: number;
  restartedAt: number;
  upAt: number;
  /**
   * After /health answers, a request may still carry an error from a call the gateway made to the city before:
   * at most one subgraph timeout later, plus the circuit breaker's cool-down while it is on.
   */
  graceMs: number;
}

export interface LatencyStats {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface TimeSlice {
  fromS: number;
  toS: number;
  requests: number;
  withErrors: number;
  p50: number;
  p95: number;
  /** The restarted city was down during some of this slice. */
  cityDown: boolean;
}

export interface Check {
  pass: boolean;
  detail: string;
}

export interface LoadSummary {
  requests: number;
  requestsPerSecond: number;
  requestsWithErrors: number;
  httpStatus: Record<string, number>;
  /** `CODE city` (or `CODE` alone when no city is named) -> errors. */
  errorsByCodeAndCity: Record<string, number>;
  latencyMs: { all: LatencyStats; byOperation: Record<string, LatencyStats>; byPhase: Record<Phase, LatencyStats & { withErrors: number }> };
  /** The run in slices (by when requests were sent), to see the outage and the recovery. */
  timeline: TimeSlice[];
  /** How much slower answers were while the city was down than before (issue 13: "fast while a city is down"). */
  outageSlowdown: OutageSlowdown;
  acceptance: { noServerErrors: Check; errorsOnlyFromTheOutage: Check; fastDuringTheOutage: Check };
}

/** p50 and p95 during the outage against before it; a ratio is 0 when there is nothing before to compare with. */
export interface OutageSlowdown {
  p50: { before: number; during: number; ratio: number };
  p95: { before: number; during: number; ratio: number };
}

/** The aim: during an outage the hub stays about as fast as before, p95 at most twice what it was. */
export const MAX_OUTAGE_SLOWDOWN = 2;

type Phase = 'before the outage' | 'during the outage' | 'after the outage';

export const NO_ANSWER = 'no answer';

/** Nearest-rank percentile of values sorted ascending (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function latencyStats(records: readonly RequestRecord[]): LatencyStats {
  const sorted = records.map((record) => record.finishedAt - record.startedAt).sort((a, b) => a - b);
  const round = (value: number) => Math.round(value);
  return {
    requests: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

/** Whether a request was in flight at some moment of [from, to]. */
const overlaps = (record: RequestRecord, from: number, to: number) => record.startedAt <= to && record.finishedAt >= from;

function phaseOf(record: RequestRecord, outage: Outage): Phase {
  if (record.finishedAt < outage.downAt) return 'before the outage';
  if (record.startedAt > outage.upAt) return 'after the outage';
  return 'during the outage';
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * (a) The gateway answered every request, and never with a 5xx: a city's outage is a partial answer, not a
 * server error.
 */
export function checkNoServerErrors(records: readonly RequestRecord[]): Check {
  const serverErrors = records.filter((record) => record.status !== null && record.status >= 500).length;
  const unanswered = records.filter((record) => record.status === null);
  const pass = serverErrors === 0 && unanswered.length === 0;
  const reasons = [...new Set(unanswered.map((record) => record.networkError ?? 'unknown'))].slice(0, 3).join('; ');
  return {
    pass,
    detail: pass
      ? `all ${records.length} requests answered, none with 5xx`
      : `${serverErrors} answers with 5xx, ${unanswered.length} requests without an answer${reasons ? ` (${reasons})` : ''}`,
  };
}

/**
 * (b) Every GraphQL error is CITY_UNAVAILABLE naming the restarted city, on a request that was in flight while it
 * was down (or within the grace after it answered again). Anything else means the outage leaked to other cities
 * or something unrelated broke.
 */
export function checkErrorsOnlyFromTheOutage(records: readonly RequestRecord[], outage: Outage): Check {
  const withErrors = records.filter((record) => record.errors.length > 0);
  const unexpected = withErrors.filter(
    (record) =>
      !overlaps(record, outage.downAt, outage.upAt + outage.graceMs) ||
      record.errors.some((error) => error.code !== 'CITY_UNAVAILABLE' || error.city !== outage.city),
  );
  if (unexpected.length === 0) {
    return {
      pass: true,
      detail: `${withErrors.length} requests with errors, all CITY_UNAVAILABLE for ${outage.city} while it was down (grace ${outage.graceMs} ms after /health)`,
    };
  }
  const examples = unexpected
    .slice(0, 3)
    .map((record) => `${record.operation} at ${(record.startedAt / 1000).toFixed(2)} s: ${record.errors.map((error) => `${error.code}${error.city ? ` ${error.city}` : ''}`).join(', ')}`);
  return { pass: false, detail: `${unexpected.length} requests with other errors, e.g. ${examples.join('; ')}` };
}

export function outageSlowdown(before: LatencyStats, during: LatencyStats): OutageSlowdown {
  const ratio = (after: number, base: number) => (base === 0 ? 0 : Math.round((after / base) * 100) / 100);
  return {
    p50: { before: before.p50, during: during.p50, ratio: ratio(during.p50, before.p50) },
    p95: { before: before.p95, during: during.p95, ratio: ratio(during.p95, before.p95) },
  };
}

/** (c) p95 during the outage at most `MAX_OUTAGE_SLOWDOWN` times p95 before it. */
export function checkFastDuringTheOutage(slowdown: OutageSlowdown): Check {
  const { p50, p95 } = slowdown;
  const figures = `p95 ${p95.during} ms during against ${p95.before} ms before (x${p95.ratio}), p50 ${p50.during} against ${p50.before} ms (x${p50.ratio})`;
  if (p95.before === 0 || p95.during === 0) return { pass: false, detail: `no requests to compare: ${figures}` };
  return { pass: p95.ratio <= MAX_OUTAGE_SLOWDOWN, detail: `${figures}; aim: p95 at most x${MAX_OUTAGE_SLOWDOWN}` };
}

export function timeline(records: readonly RequestRecord[], outage: Outage, sliceMs: number): TimeSlice[] {
  const lastSent = Math.max(0, ...records.map((record) => record.startedAt));
  return Array.from({ length: Math.floor(lastSent / sliceMs) + 1 }, (_, index) => {
    const from = index * sliceMs;
    const to = from + sliceMs;
    const slice = records.filter((record) => record.startedAt >= from && record.startedAt < to);
    const { requests, p50, p95 } = latencyStats(slice);
    const withErrors = slice.filter((record) => record.errors.length > 0).length;
    return { fromS: from / 1000, toS: to / 1000, requests, withErrors, p50, p95, cityDown: outage.downAt < to && outage.upAt >= from };
  });
}

export function summarize(records: readonly RequestRecord[], durationMs: number, outage: Outage, sliceMs = 5_000): LoadSummary {
  const errors = records.flatMap((record) => record.errors);
  const byPhase = groupBy(records, (record) => phaseOf(record, outage));
  const phases: Phase[] = ['before the outage', 'during the outage', 'after the outage'];
  const slowdown = outageSlowdown(latencyStats(byPhase.get('before the outage') ?? []), latencyStats(byPhase.get('during the outage') ?? []));
  return {
    requests: records.length,
    requestsPerSecond: Math.round((records.length / (durationMs / 1000)) * 10) / 10,
    requestsWithErrors: records.filter((record) => record.errors.length > 0).length,
    httpStatus: countBy(records, (record) => (record.status === null ? NO_ANSWER : String(record.status))),
    errorsByCodeAndCity: countBy(errors, (error) => (error.city ? `${error.code} ${error.city}` : error.code)),
    latencyMs: {
      all: latencyStats(records),
      byOperation: Object.fromEntries([...groupBy(records, (record) => record.operation)].map(([operation, group]) => [operation, latencyStats(group)])),
      byPhase: Object.fromEntries(
        phases.map((phase) => {
          const group = byPhase.get(phase) ?? [];
          return [phase, { ...latencyStats(group), withErrors: group.filter((record) => record.errors.length > 0).length }];
        }),
      ) as LoadSummary['latencyMs']['byPhase'],
    },
    timeline: timeline(records, outage, sliceMs),
    outageSlowdown: slowdown,
    acceptance: {
      noServerErrors: checkNoServerErrors(records),
      errorsOnlyFromTheOutage: checkErrorsOnlyFromTheOutage(records, outage),
      fastDuringTheOutage: checkFastDuringTheOutage(slowdown),
    },
  };
}
