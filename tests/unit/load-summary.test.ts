import { checkErrorsOnlyFromTheOutage, checkFastDuringTheOutage, checkNoServerErrors, outageSlowdown, percentile, summarize, type Outage, type RequestRecord } from '../../bench/load-summary';

// essen down from 20 s until its /health answered at 32 s; errors may still arrive up to 3 s later.
const outage: Outage = { city: 'essen', signal: 'SIGTERM', downAt: 20_000, exitedAt: 20_100, restartedAt: 30_000, upAt: 32_000, graceMs: 3_000 };

const request = (startedAt: number, latency: number, overrides: Partial<RequestRecord> = {}): RequestRecord => ({
  operation: 'Overview',
  startedAt,
  finishedAt: startedAt + latency,
  status: 200,
  errors: [],
  ...overrides,
});
const essenUnavailable = [{ code: 'CITY_UNAVAILABLE', city: 'essen' }];

describe('percentile', () => {
  it('is the nearest rank of the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('checkNoServerErrors', () => {
  it('passes when every request has an answer below 500', () => {
    expect(checkNoServerErrors([request(0, 10), request(5, 10, { status: 400 })]).pass).toBe(true);
  });

  it('fails on a 5xx and on a request without an answer', () => {
    expect(checkNoServerErrors([request(0, 10, { status: 502 })]).pass).toBe(false);
    const unanswered = checkNoServerErrors([request(0, 10, { status: null, networkError: 'ECONNRESET' })]);
    expect(unanswered.pass).toBe(false);
    expect(unanswered.detail).toContain('ECONNRESET');
  });
});

describe('checkErrorsOnlyFromTheOutage', () => {
  it('accepts CITY_UNAVAILABLE for the restarted city on requests in flight while it was down', () => {
    const records = [
      request(19_900, 300, { errors: essenUnavailable }), // sent before the stop, answered after it
      request(25_000, 50, { errors: essenUnavailable }),
      request(34_500, 50, { errors: essenUnavailable }), // within the grace after /health
      request(40_000, 50),
    ];
    expect(checkErrorsOnlyFromTheOutage(records, outage).pass).toBe(true);
  });

  it('refuses errors before the stop or after the grace', () => {
    expect(checkErrorsOnlyFromTheOutage([request(10_000, 50, { errors: essenUnavailable })], outage).pass).toBe(false);
    expect(checkErrorsOnlyFromTheOutage([request(35_100, 50, { errors: essenUnavailable })], outage).pass).toBe(false);
  });

  it('refuses errors naming another city or of another kind during the outage', () => {
    const other = checkErrorsOnlyFromTheOutage([request(25_000, 50, { errors: [{ code: 'CITY_UNAVAILABLE', city: 'herne' }] })], outage);
    expect(other.pass).toBe(false);
    expect(other.detail).toContain('CITY_UNAVAILABLE herne');
    expect(checkErrorsOnlyFromTheOutage([request(25_000, 50, { errors: [{ code: 'INTERNAL_SERVER_ERROR', city: null }] })], outage).pass).toBe(false);
  });
});

describe('checkFastDuringTheOutage', () => {
  const stats = (p50: number, p95: number) => ({ requests: 100, p50, p95, p99: p95, max: p95 });

  it('passes when p95 during the outage is at most twice p95 before it, and reports p50 beside it', () => {
    const slowdown = outageSlowdown(stats(20, 160), stats(30, 320));
    expect(slowdown).toEqual({ p50: { before: 20, during: 30, ratio: 1.5 }, p95: { before: 160, during: 320, ratio: 2 } });
    const check = checkFastDuringTheOutage(slowdown);
    expect(check.pass).toBe(true);
    expect(check.detail).toBe('p95 320 ms during against 160 ms before (x2), p50 30 against 20 ms (x1.5); aim: p95 at most x2');
  });

  it('fails when p95 more than doubles, or when there is nothing to compare', () => {
    expect(checkFastDuringTheOutage(outageSlowdown(stats(23, 162), stats(155, 1575))).pass).toBe(false);
    expect(checkFastDuringTheOutage(outageSlowdown(stats(0, 0), stats(30, 320))).pass).toBe(false);
  });
});

describe('summarize', () => {
  it('counts statuses, errors by code and city, and latency per operation and per phase', () => {
    const records = [
      request(1_000, 100),
      request(2_000, 300, { operation: 'Members' }),
      request(25_000, 200, { errors: essenUnavailable }),
      request(50_000, 400, { status: null, networkError: 'ECONNREFUSED' }),
    ];
    const summary = summarize(records, 60_000, outage);
    expect(summary.requests).toBe(4);
    expect(summary.requestsPerSecond).toBeCloseTo(4 / 60, 1);
    expect(summary.httpStatus).toEqual({ '200': 3, 'no answer': 1 });
    expect(summary.errorsByCodeAndCity).toEqual({ 'CITY_UNAVAILABLE essen': 1 });
    expect(summary.latencyMs.all).toEqual({ requests: 4, p50: 200, p95: 400, p99: 400, max: 400 });
    expect(summary.latencyMs.byOperation.Members).toEqual({ requests: 1, p50: 300, p95: 300, p99: 300, max: 300 });
    expect(summary.latencyMs.byPhase['during the outage']).toMatchObject({ requests: 1, withErrors: 1 });
    expect(summary.latencyMs.byPhase['before the outage'].requests).toBe(2);
    expect(summary.timeline).toHaveLength(11); // up to the slice of the last request sent, at 50 s
    expect(summary.timeline[5]).toMatchObject({ fromS: 25, toS: 30, requests: 1, withErrors: 1, cityDown: true });
    expect(summary.timeline[0]!.cityDown).toBe(false);
    expect(summary.acceptance.noServerErrors.pass).toBe(false);
    expect(summary.acceptance.errorsOnlyFromTheOutage.pass).toBe(true);
    expect(summary.outageSlowdown.p95).toEqual({ before: 300, during: 200, ratio: 0.67 });
  });
});
