/**
 * Subgraphs remember the gateway's read credentials they have verified (the gateway reuses each for up to 20 s) until
 * they expire, and the write credentials they have accepted as long. (Signing and checking credentials needs jose, an
 * ES module Jest does not load: that other subgraphs' and forged credentials are refused, and replayed or rebound
 * ones, is tested end to end in tests/e2e/roles.test.ts and tests/e2e/credential-replay.test.ts.)
 */
import { InProcessUsedCredentials } from '../../services/common/auth/used-credentials';
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

describe('InProcessUsedCredentials', () => {
  it('accepts an id once while it is remembered, and forgets it once it has expired', async () => {
    let now = 1_000;
    const used = new InProcessUsedCredentials(() => now);
    expect(await used.firstUse('a', 1_030)).toBe(true);
    expect(await used.firstUse('a', 1_030)).toBe(false);
    expect(await used.firstUse('b', 1_030)).toBe(true);
    now = 1_029.9;
    expect(await used.firstUse('a', 1_030)).toBe(false);
    now = 1_031;
    // The verifier refuses the expired credential before it gets here; the memory need not hold it.
    expect(await used.firstUse('a', 1_030)).toBe(true);
  });
});
