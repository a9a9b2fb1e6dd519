import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../services/common/logger';
import type { BreakerSettings } from '../config';
import { answerMeansUnavailable, failureMeansUnavailable, SubgraphKnownDown } from './breaker-policy';

/** The breakers' figures on the gateway's `/metrics`, one series per subgraph. */
export class BreakerMetrics {
  readonly open: Gauge<'subgraph'>;
  readonly answeredWithoutCalling: Counter<'subgraph'>;

  constructor(registry: Registry) {
    this.open = new Gauge({
      name: 'gateway_subgraph_breaker_open',
      help: '1 while the gateway answers for a subgraph known to be down without calling it (its circuit breaker is open), else 0',
      labelNames: ['subgraph'],
      registers: [registry],
    });
    this.answeredWithoutCalling = new Counter({
      name: 'gateway_subgraph_calls_answered_without_calling_total',
      help: 'Calls to a subgraph the gateway answered at once as unavailable, without calling it, because its circuit breaker was open',
      labelNames: ['subgraph'],
      registers: [registry],
    });
  }
}

/** How soon a probe that found the breaker not yet half-open is tried again. */
const PROBE_RETRY_MS = 100;

/**
 * One subgraph's circuit breaker: after `failures` consecutive calls that found the subgraph unavailable
 * (breaker-policy.ts) it stops calling it for `cooldownMs`, and every call fails at once with `SubgraphKnownDown`;
 * then one call goes through as a probe (the others are still answered at once), and an answer closes the breaker.
 * Without it, every request during an outage waited for the refusal or the time limit again (docs/operations.md).
 */
export class SubgraphBreaker {
  private readonly policy?: CircuitBreakerPolicy;
  private downSince?: Date;
  private openedAt?: Date;
  private lastFailure: unknown;
  /** Asks the subgraph something cheap; set by its data source (probeWith). */
  private probe?: () => Promise<unknown>;
  private probeTimer?: NodeJS.Timeout;

  constructor(
    private readonly subgraph: string,
    private readonly settings: BreakerSettings,
    private readonly metrics?: BreakerMetrics,
    private readonly logger?: Logger,
    /** Called when the subgraph answers again after its breaker opened: answers kept without it are out of date. */
    private readonly onAnswersAgain?: () => void,
  ) {
    if (settings.failures === 0 || settings.cooldownMs === 0) return;
    this.policy = circuitBreaker(handleWhen(failureMeansUnavailable).orWhenResult(answerMeansUnavailable), {
      halfOpenAfter: settings.cooldownMs,
      breaker: new ConsecutiveBreaker(settings.failures),
    });
    this.metrics?.open.set({ subgraph }, 0);
    this.policy.onFailure(({ reason, handled }) => {
      if (handled) this.lastFailure = 'error' in reason ? reason.error : reason.value;
    });
    this.policy.onBreak(() => {
      const now = new Date();
      this.downSince ??= now;
      this.openedAt = now;
      this.metrics?.open.set({ subgraph }, 1);
      this.logger?.warn({ subgraph, downSince: this.downSince.toISOString(), cooldownMs: settings.cooldownMs }, 'subgraph known to be down: answering for it without calling it');
      this.probeAfterCooldown();
    });
    this.policy.onReset(() => {
      this.logger?.info({ subgraph, downSince: this.downSince?.toISOString() }, 'subgraph answers again: calling it again');
      this.downSince = undefined;
      this.openedAt = undefined;
      this.metrics?.open.set({ subgraph }, 0);
      clearTimeout(this.probeTimer);
      this.onAnswersAgain?.();
    });
  }

  /**
   * While the breaker is open, the subgraph is asked with `probe` after every cool-down, whether or not a reader
   * asks: answers kept without it (use-response-cache.ts) may then be kept until it answers again, for nobody's
   * request needs to find out that it is back. A probe that gets an answer closes the breaker.
   */
  probeWith(probe: () => Promise<unknown>): void {
    this.probe = probe;
  }

  private probeAfterCooldown(): void {
    if (!this.probe) return;
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => void this.probeNow(), this.settings.cooldownMs).unref();
  }

  private async probeNow(): Promise<void> {
    // Closed meanwhile (a reader's call was the probe), or a reader's probe is in flight: its outcome decides.
    if (!this.policy || !this.probe || this.policy.state !== CircuitState.Open) return;
    try {
      await this.policy.execute(this.probe);
    } catch (error) {
      // Not yet half-open (the timer fired a moment early): ask again shortly. A failed probe opened the breaker
      // again, which scheduled the next one.
      if (error instanceof BrokenCircuitError) this.probeTimer = setTimeout(() => void this.probeNow(), PROBE_RETRY_MS).unref();
    }
  }

  get isOpen(): boolean {
    return this.policy?.state === CircuitState.Open;
  }

  /** Runs `call` unless the subgraph is known to be down; its outcome counts towards opening or closing. */
  async call<T>(call: () => Promise<T>): Promise<T> {
    if (!this.policy) return call();
    // While one call probes the subgraph, cockatiel would hold the others until the probe ends (up to the time
    // limit); they are answered at once instead, as while it is open.
    if (this.policy.state === CircuitState.HalfOpen) throw this.knownDown();
    try {
      return await this.policy.execute(call);
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw this.knownDown();
      throw error;
    }
  }

  private knownDown(): SubgraphKnownDown {
    this.metrics?.answeredWithoutCalling.inc({ subgraph: this.subgraph });
    const openedAt = this.openedAt ?? new Date();
    return new SubgraphKnownDown(this.subgraph, this.downSince ?? openedAt, new Date(openedAt.getTime() + this.settings.cooldownMs), this.lastFailure);
  }
}
