/**
 * The bound on audit rows from refused anonymous writes (services/common/audit/anonymous-refusals.ts): the first
 * `perMinute` in a minute may be audited, every later one fails with RATE_LIMITED; signed-in callers are never bound.
 */
import type { GraphQLError } from 'graphql';
import { AnonymousRefusals } from '../../services/common/audit/anonymous-refusals';
import { ANONYMOUS, type Viewer } from '../../services/common/auth/viewer';
import { createLogger } from '../../services/common/logger';

const logger = createLogger('test', 'silent');
const member: Viewer = { subject: 'analyst', name: 'analyst', roles: new Set(['member']), city: null, locale: 'en' };

async function outcome(refusals: AnonymousRefusals, viewer: Viewer): Promise<string> {
  try {
    await refusals.admit(viewer);
    return 'audited';
  } catch (error) {
    return String((error as GraphQLError).extensions.code);
  }
}

it('admits the bound, then answers RATE_LIMITED with the seconds to wait, in the caller\'s language', async () => {
  const refusals = new AnonymousRefusals(3, 'city-duisburg', logger);
  const outcomes = [];
  for (let attempt = 0; attempt < 5; attempt++) outcomes.push(await outcome(refusals, ANONYMOUS));
  expect(outcomes).toEqual(['audited', 'audited', 'audited', 'RATE_LIMITED', 'RATE_LIMITED']);

  const error = await refusals.admit({ ...ANONYMOUS, locale: 'de' }).catch((thrown: GraphQLError) => thrown);
  expect((error as GraphQLError).message).toMatch(/^Zu viele Schreibversuche ohne Anmeldung bei city-duisburg/);
  expect((error as GraphQLError).extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect((error as GraphQLError).extensions.retryAfterSeconds).toBeLessThanOrEqual(60);
});

it('never bounds a signed-in caller, whose refusals name a person, nor counts them', async () => {
  const refusals = new AnonymousRefusals(1, 'forum', logger);
  for (let attempt = 0; attempt < 5; attempt++) expect(await outcome(refusals, member)).toBe('audited');
  expect(await outcome(refusals, ANONYMOUS)).toBe('audited');
  expect(await outcome(refusals, ANONYMOUS)).toBe('RATE_LIMITED');
});

it('with 0, audits no anonymous refusal: every anonymous write fails', async () => {
  expect(await outcome(new AnonymousRefusals(0, 'forum', logger), ANONYMOUS)).toBe('RATE_LIMITED');
});
