/**
 * Tokens whose signature and claims were checked, with what they stood for, until they expire. The same token
 * string is the same signed statement, so checking it again would only repeat the answer.
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly capacity: number,
    /** Seconds since the epoch, as JWT `exp` counts them. */
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  /** `expiresAt` in seconds since the epoch (the token's `exp`). */
  remember(token: string, value: T, expiresAt: number): void {
    // Only ever a few live tokens (one per subgraph and user per minute): starting over is cheaper than an LRU.
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(token, { value, expiresAt });
  }
}
