/**
 * Subgraphs remember the gateway credentials they have verified (the gateway reuses each for most of a minute).
 * Remembering must end when the credential expires. (That other subgraphs' and forged credentials are refused is
 * tested end to end in tests/e2e/roles.test.ts: they are other strings, never found here.)
 */
import { VerifiedTokens } from '../../services/common/auth/verified-tokens';

describe('VerifiedTokens', () => {
  let now = 1_000;
  const clock = () => now;

  it('gives back what a token stood for until it expires, and nothing after', () => {
    const tokens = new VerifiedTokens<string>(10, clock);
    tokens.remember('token-a', 'hr of duisburg', 1_060);
    expect(tokens.get('token-a')).toBe('hr of duisburg');
    now = 1_059.9;
    expect(tokens.get('token-a')).toBe('hr of duisburg');
    now = 1_060;
    expect(tokens.get('token-a')).toBeUndefined();
  });

  it('knows nothing of tokens it was not given', () => {
    now = 1_000;
    const tokens = new VerifiedTokens<string>(10, clock);
    tokens.remember('token-a', 'anonymous', 1_060);
    expect(tokens.get('token-b')).toBeUndefined();
  });

  it('holds no more than its capacity', () => {
    now = 1_000;
    const tokens = new VerifiedTokens<number>(3, clock);
    for (let index = 0; index < 4; index += 1) tokens.remember(`token-${index}`, index, 2_000);
    expect(['token-0', 'token-1', 'token-2', 'token-3'].filter((token) => tokens.get(token) !== undefined)).toEqual(['token-3']);
  });
});
