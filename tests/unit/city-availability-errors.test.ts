import { collapseCityErrors } from '../../gateway/plugins/use-city-availability-errors';
import { describeFailure } from '../../gateway/transport/subgraph-errors';
import { loadRegistry } from '../../services/common/registry';

const registry = loadRegistry();

describe('collapseCityErrors', () => {
  it('turns every failure of one city into one error naming it, and saying as of when it is missing', () => {
    const foundMissing = new Date('2026-12-01T18:00:00.000Z');
    const errors = collapseCityErrors(
      registry,
      [
        { message: 'db down', path: ['forum', 'members', 2, 'staff'], extensions: { code: 'DATABASE_UNAVAILABLE', serviceName: 'duisburg' } },
        { message: 'db down', path: ['forum', 'members', 2, 'trainees'], extensions: { code: 'DATABASE_UNAVAILABLE', serviceName: 'duisburg' } },
      ],
      'en',
      false,
      foundMissing,
    );
    expect(errors).toEqual([
      {
        message: 'The figures of Duisburg are unavailable: its database is unavailable.',
        path: ['forum', 'members', 2, 'staff'],
        extensions: {
          code: 'CITY_UNAVAILABLE',
          city: 'duisburg',
          cityName: 'Duisburg',
          subgraph: 'duisburg',
          reason: 'its database is unavailable',
          reasons: { de: 'ihre Datenbank ist nicht erreichbar', en: 'its database is unavailable' },
          messages: {
            de: 'Die Zahlen von Duisburg fehlen: ihre Datenbank ist nicht erreichbar.',
            en: 'The figures of Duisburg are unavailable: its database is unavailable.',
          },
          missingSince: '2026-12-01T18:00:00.000Z',
          affectedPaths: [
            ['forum', 'members', 2, 'staff'],
            ['forum', 'members', 2, 'trainees'],
          ],
        },
      },
    ]);
  });

  it('prefers the reason of a call that was made to one answered without calling, and keeps since when the city is known down', () => {
    const knownDown = { since: '2026-12-01T19:00:00.000Z', nextTryAt: '2026-12-01T19:00:05.000Z' };
    const refused = { de: 'der Dienst läuft nicht (Verbindung abgelehnt)', en: 'the service is not running (connection refused)' };
    const notCalled = { de: 'bekanntermaßen seit ...', en: 'known to be down since ...' };
    const [made] = collapseCityErrors(registry, [
      { message: 'not called', extensions: { code: 'CITY_UNAVAILABLE', city: 'essen', reasons: notCalled, delivered: false, knownDown } },
      { message: 'refused', extensions: { code: 'CITY_UNAVAILABLE', city: 'essen', reasons: refused, delivered: false } },
    ]);
    expect(made!.extensions).toMatchObject({ reason: refused.en, delivered: false });
    expect(made!.extensions!.knownDown).toBeUndefined();
    // Missing since its breaker found it down, not since this answer: the same for every answer while it stays down.
    expect(made!.extensions!.missingSince).toBe(knownDown.since);
    const [onlyNotCalled] = collapseCityErrors(registry, [{ message: 'not called', extensions: { code: 'CITY_UNAVAILABLE', city: 'essen', reasons: notCalled, delivered: false, knownDown } }]);
    expect(onlyNotCalled!.extensions).toMatchObject({ reason: notCalled.en, knownDown });
  });

  it('keeps one error per city and leaves errors of the request itself alone', () => {
    const notFound = { message: 'No member city has the id "x".', extensions: { code: 'NOT_FOUND', field: 'id' } };
    const errors = collapseCityErrors(registry, [
      { message: 'gone', extensions: { code: 'CITY_UNAVAILABLE', city: 'essen', reasons: { de: 'keine Antwort innerhalb von 3000 ms', en: 'no answer within 3000 ms' } } },
      { message: 'gone', extensions: { code: 'CITY_UNAVAILABLE', city: 'herne', reasons: { de: 'der Dienst läuft nicht', en: 'the service is not running' } } },
      notFound,
    ]);
    expect(errors.map((error) => [error.extensions?.code, error.extensions?.city])).toEqual([
      ['CITY_UNAVAILABLE', 'essen'],
      ['CITY_UNAVAILABLE', 'herne'],
      ['NOT_FOUND', undefined],
    ]);
    expect(errors[0]!.message).toBe('The figures of Essen are unavailable: no answer within 3000 ms.');
    expect(collapseCityErrors(registry, errors.slice(0, 1), 'de')[0]!.message).toBe('Die Zahlen von Essen fehlen: keine Antwort innerhalb von 3000 ms.');
  });

  it('in a mutation, says whether the write may have happened', () => {
    const timedOut = { message: 'gone', extensions: { code: 'CITY_UNAVAILABLE', city: 'essen', reasons: { de: 'keine Antwort innerhalb von 3000 ms', en: 'no answer within 3000 ms' } } };
    const refused = { message: 'gone', extensions: { code: 'CITY_UNAVAILABLE', city: 'herne', delivered: false, reasons: { de: 'der Dienst läuft nicht', en: 'the service is not running' } } };
    const [unknown, notWritten] = collapseCityErrors(registry, [timedOut, refused], 'en', true);
    expect(unknown!.extensions).toMatchObject({ city: 'essen', writeOutcome: 'UNKNOWN' });
    expect(unknown!.message).toBe(
      'The figures of Essen are unavailable: no answer within 3000 ms. Whether it was written is not known: send it again with the same idempotency key; nothing is written twice.',
    );
    expect(notWritten!.extensions).toMatchObject({ city: 'herne', writeOutcome: 'NOT_WRITTEN', delivered: false });
    expect(notWritten!.message).toBe('The figures of Herne are unavailable: the service is not running. Nothing was written.');
    expect(collapseCityErrors(registry, [timedOut])[0]!.extensions).not.toHaveProperty('writeOutcome');
  });

  it('does not blame a city for a bad argument it refused', () => {
    const badInput = { message: '"from" must not be after "to"', extensions: { code: 'BAD_USER_INPUT', field: 'from', serviceName: 'essen' } };
    expect(collapseCityErrors(registry, [badInput])).toEqual([badInput]);
  });
});

describe('describeFailure', () => {
  it('says what went wrong without host names', () => {
    expect(describeFailure(Object.assign(new Error('x'), { name: 'TimeoutError' }), 3000).en).toBe('no answer within 3000 ms');
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:4101'), { code: 'ECONNREFUSED' }) });
    expect(describeFailure(refused, 3000)).toEqual({ de: 'der Dienst läuft nicht (Verbindung abgelehnt)', en: 'the service is not running (connection refused)' });
    expect(describeFailure(new Error('502: Bad Gateway'), 3000).en).toBe('the service answered HTTP 502');
  });
});
