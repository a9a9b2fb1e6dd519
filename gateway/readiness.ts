import { fetch, type Dispatcher } from 'undici';
import type { HealthReport } from '../services/common/http-service';
import { describeFailure } from './transport/subgraph-errors';

export interface SubgraphProbe {
  name: string;
  /** The subgraph's GraphQL address; its `/health` is next to it. */
  url: string;
  /** The city it serves, if any. */
  city?: string;
}

export interface SubgraphReachability {
  /** Answered `/health` with 200: the service runs and its database answers. */
  ok: boolean;
  city?: string;
  /** HTTP status of `/health`; absent when there was no answer. */
  httpStatus?: number;
  /** Whether the subgraph's database answered, as its `/health` says. */
  database?: boolean;
  latencyMs: number;
  reason?: string;
}

/**
 * `/ready` of the gateway: ready once the supergraph is loaded, since one city (or even the forum) being away only
 * takes its own figures out of the answers; taking the gateway out of a load balancer would take everyone's.
 * The report lists each subgraph's reachability, so operators see at a glance who is missing.
 * Probes are shared for `cacheMs`, so that a flood of `/ready` calls is not multiplied onto every city.
 */
export class Readiness {
  private latest?: { at: number; report: Promise<HealthReport> };

  constructor(
    /** What to probe, asked at every probe: the member directory changes while the gateway runs. */
    private readonly subgraphs: () => readonly SubgraphProbe[],
    private readonly probeTimeoutMs: number,
    /** The gateway's connections to the subgraphs, with its client certificate where they require one. */
    private readonly connections?: Dispatcher,
    private readonly cacheMs = 1_000,
  ) {}

  report(): Promise<HealthReport> {
    const now = Date.now();
    if (!this.latest || now - this.latest.at >= this.cacheMs) this.latest = { at: now, report: this.probeAll() };
    return this.latest.report;
  }

  private async probeAll(): Promise<HealthReport> {
    const subgraphs = this.subgraphs();
    // Members behind one regional hub share its address: its /health is asked once for all of them.
    const probes = new Map<string, Promise<SubgraphReachability>>();
    const probeOnce = (subgraph: SubgraphProbe) => {
      let probe = probes.get(subgraph.url);
      if (!probe) probes.set(subgraph.url, (probe = this.probe({ ...subgraph, city: undefined })));
      return probe;
    };
    const results = await Promise.all(
      subgraphs.map(async (subgraph) => [subgraph.name, { ...(await probeOnce(subgraph)), ...(subgraph.city ? { city: subgraph.city } : {}) }] as const),
    );
    const unreachable = results.filter(([, result]) => !result.ok).map(([name]) => name);
    return {
      status: 'ok',
      supergraph: { loaded: true, subgraphs: subgraphs.length },
      degraded: unreachable.length > 0,
      unreachable,
      subgraphs: Object.fromEntries(results),
    };
  }

  private async probe(subgraph: SubgraphProbe): Promise<SubgraphReachability> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const where = subgraph.city ? { city: subgraph.city } : {};
    try {
      const response = await fetch(new URL('/health', subgraph.url), {
        signal: AbortSignal.timeout(this.probeTimeoutMs),
        ...(this.connections ? { dispatcher: this.connections } : {}),
      });
      const body = (await response.json().catch(() => ({}))) as { database?: { ok?: unknown } };
      const database = typeof body.database?.ok === 'boolean' ? body.database.ok : undefined;
      return {
        ok: response.ok,
        ...where,
        httpStatus: response.status,
        ...(database === undefined ? {} : { database }),
        latencyMs: elapsed(),
        ...(response.ok ? {} : { reason: database === false ? 'its database is unavailable' : `its /health answered HTTP ${response.status}` }),
      };
    } catch (error) {
      // The kind of failure only, as in CITY_UNAVAILABLE errors: the report is public, addresses are not.
      return { ok: false, ...where, latencyMs: elapsed(), reason: describeFailure(error, this.probeTimeoutMs).en };
    }
  }
}
