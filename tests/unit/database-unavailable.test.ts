import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../../services/common/errors';

/** Which failures count as "the database is unavailable" (DATABASE_UNAVAILABLE; retried at start-up) and which are bugs. */
describe('isDatabaseUnavailable', () => {
  const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a connection the server closed', new Error('Connection terminated unexpectedly')],
    ['a connection that could not be opened in time', new Error('Connection terminated due to connection timeout')],
    ['no free connection in time', new Error('timeout exceeded when trying to connect')],
    ['a single connection that could not be opened in time (provisioning)', new Error('timeout expired')],
    ['a statement that got no answer at all (silent network or server)', failedQuery(new Error('Query read timeout'))],
    ['a statement the server cancelled after statement_timeout', failedQuery(withCode('canceling statement due to statement timeout', '57014'))],
    ['a transaction the server ended after idle_in_transaction_session_timeout', failedQuery(withCode('terminating connection due to idle-in-transaction timeout', '25P03'))],
    ['too many connections', failedQuery(withCode('sorry, too many clients already', '53300'))],
  ])('holds for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', failedQuery(withCode('duplicate key value violates unique constraint', '23505'))],
    ['a syntax error', failedQuery(withCode('syntax error at or near "SELEC"', '42601'))],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('does not hold for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
