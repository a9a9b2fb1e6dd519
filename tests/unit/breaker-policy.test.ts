import { answerMeansUnavailable, failureMeansUnavailable, knownDownReasons, SubgraphKnownDown } from '../../gateway/transport/breaker-policy';
import { describeFailure, neverDelivered } from '../../gateway/transport/subgraph-errors';

/** Errors as undici and Node raise them: a network code on the error or on its cause. */
const networkError = (code: string, onCause = false) => (onCause ? Object.assign(new TypeError('fetch failed'), { cause: { code } }) : Object.assign(new Error(code), { code }));

describe('which failed calls count towards opening a subgraph’s circuit breaker', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'EHOSTUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND'])('counts %s: nothing there answers', (code) => {
    expect(failureMeansUnavailable(networkError(code))).toBe(true);
    expect(failureMeansUnavailable(networkError(code, true))).toBe(true);
  });

  it('counts no answer within the time limit', () => {
    expect(failureMeansUnavailable(new DOMException('no answer within 3000 ms', 'TimeoutError'))).toBe(true);
  });

  it('does not count a failure that says nothing about the subgraph being there', () => {
    expect(failureMeansUnavailable(new SyntaxError('Unexpected token < in JSON'))).toBe(false);
    expect(failureMeansUnavailable(new Error('something else'))).toBe(false);
    expect(failureMeansUnavailable(undefined)).toBe(false);
  });

  it('counts answers with HTTP 502, 503 and 504: what stands in front of the city, or the city itself, cannot answer now', () => {
    for (const status of [502, 503, 504]) expect(answerMeansUnavailable({ status, headers: {}, text: '' })).toBe(true);
  });

  it('does not count answers: GraphQL errors the city answered with, refused writes, bad requests, its own errors', () => {
    const graphQLErrors = JSON.stringify({ errors: [{ message: 'not allowed', extensions: { code: 'FORBIDDEN' } }] });
    for (const status of [200, 400, 401, 403, 500]) expect(answerMeansUnavailable({ status, headers: {}, text: graphQLErrors })).toBe(false);
  });
});

describe('the reason given for a city answered for without calling it', () => {
  const down = new SubgraphKnownDown('oberhausen', new Date('2026-12-01T19:00:00.000Z'), new Date('2026-12-01T19:00:05.000Z'), networkError('ECONNREFUSED'));

  it('says since when it is known to be down, why, and when it is tried again, in German and English', () => {
    const reasons = knownDownReasons(down, describeFailure(down.lastFailure, 3000), false);
    expect(reasons.en).toBe('known to be down since 2026-12-01T19:00:00.000Z (the service is not running (connection refused)), tried again from 2026-12-01T19:00:05.000Z');
    expect(reasons.de).toBe('bekanntermaßen seit 2026-12-01T19:00:00.000Z nicht erreichbar (der Dienst läuft nicht (Verbindung abgelehnt)), nächster Versuch ab 2026-12-01T19:00:05.000Z');
  });

  it('says for a write that it was not attempted, and counts it as never delivered', () => {
    const reasons = knownDownReasons(down, describeFailure(down.lastFailure, 3000), true);
    expect(reasons.en).toMatch(/; the write was not attempted$/);
    expect(reasons.de).toMatch(/; die Änderung wurde nicht versucht$/);
    expect(neverDelivered(down)).toBe(true);
  });

  it('names the HTTP status when the last call was answered with one', () => {
    const answered = new SubgraphKnownDown('oberhausen', new Date(0), new Date(5000), { status: 503, headers: {}, text: '' });
    expect(knownDownReasons(answered, describeFailure(answered.lastFailure, 3000), false).en).toContain('(the service answered HTTP 503)');
  });
});
