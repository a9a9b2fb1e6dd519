import type { Dispatcher } from 'undici';
import type { GatewayCredentialSigner } from '../../services/common/auth/gateway-credential';
import type { Viewer } from '../../services/common/auth/viewer';
import type { Logger } from '../../services/common/logger';
import { headerList, WRITE_JOB_COMMITTED_HEADER } from '../../services/common/write-receipt';
import type { CacheGeneration } from '../shared-state/cache-generation';
import { sendWithin } from './deadline';
import { endSharedReads } from './shared-reads';

/**
 * How long the city holds each question for a followed job until the job ends (`figureImportJob(waitMs:)`): it
 * answers the moment the job commits, so a read after the commit is fresh within milliseconds.
 */
const FOLLOW_WAIT_MS = 10_000;
/** Pause before asking again after a question failed. */
const RETRY_PAUSE_MS = 1_000;
/**
 * How long a job is followed at most. A city notes a running job's life every few seconds and a silent one reads
 * FAILED within a minute (services/domain/import-jobs.ts), so only a city out of reach keeps a job unknown this long;
 * then the generation is advanced all the same, since the job may have committed.
 */
const FOLLOW_AT_MOST_MS = 30 * 60_000;

/** Asks the city subgraph directly (the gateway speaks the subgraph protocol): one municipality's job, its status only. */
const JOB_STATUS = `query FollowFigureImportJob($representations: [_Any!]!, $id: ID!) {
  _entities(representations: $representations) { ... on Municipality { figureImportJob(id: $id, waitMs: ${FOLLOW_WAIT_MS}) { status } } }
}`;
const FINISHED = new Set(['SUCCEEDED', 'REFUSED', 'FAILED']);

/** The ids an answer reports as committed jobs (`ifh-write-job-committed`). */
export function committedJobsIn(headers: Record<string, string | string[] | undefined>): string[] {
  return headerList(headers[WRITE_JOB_COMMITTED_HEADER]);
}

/** The jobs an answer accepted (`ifh-write-job`: `<city>/<job id>`), each with its city; malformed entries are left out. */
export function acceptedJobsIn(value: string | null | undefined): Array<{ city: string; jobId: string }> {
  return headerList(value ?? undefined).flatMap((entry) => {
    const [city, jobId, ...rest] = entry.split('/');
    return city && jobId && rest.length === 0 ? [{ city, jobId }] : [];
  });
}

/** Where a followed job is asked for, and as whom. */
export interface FollowedJobSource {
  /** The address and name of the subgraph that answered the start: the city's, or a member router's. */
  url: string;
  subgraph: string;
  city: string;
  /** The viewer who started it: the job is theirs to read (its city's HR team). */
  viewer: Viewer;
  timeoutMs: number;
}

/**
 * Write jobs that commit after their request was answered (a city's figure import): the gateway that forwarded the
 * accepted start follows the job until it ends, and starts a new generation of the response cache once it committed.
 * So a read after the commit is fresh without Redis, where this gateway's cache is its own and nobody else could tell
 * it; with Redis the city advances the shared generation itself as well (services/city/committed-imports.ts).
 *
 * Whatever answer first reports a followed job committed (the follower's own question, or the writer's status read)
 * advances the generation before it goes on, so the writer never learns of the commit before the cache does. A job
 * this gateway does not follow advances nothing, so that reading one's jobs cannot empty the cache for everyone.
 */
export class WriteJobs {
  /** Followed jobs not yet seen committed. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly generation: CacheGeneration,
    private readonly credentials: GatewayCredentialSigner,
    private readonly connections: Dispatcher,
    private readonly logger: Logger,
  ) {}

  /** Starts following a job the city accepted through this gateway; again for the same job does nothing. */
  follow(jobId: string, source: FollowedJobSource): void {
    if (this.pending.has(jobId)) return;
    this.pending.add(jobId);
    void this.followUntilEnd(jobId, source);
  }

  /** An answer reported these jobs committed: those followed and not yet advanced for advance the generation, once. */
  async reportedCommitted(jobIds: readonly string[]): Promise<void> {
    const fresh = jobIds.filter((id) => this.pending.delete(id));
    if (fresh.length === 0) return;
    endSharedReads();
    await this.generation.advance();
  }

  /** How many jobs are followed now (for tests and /health-style reports). */
  get followed(): number {
    return this.pending.size;
  }

  private async followUntilEnd(jobId: string, source: FollowedJobSource): Promise<void> {
    const started = performance.now();
    while (this.pending.has(jobId)) {
      if (performance.now() - started > FOLLOW_AT_MOST_MS) {
        this.logger.warn({ job: jobId, city: source.city }, 'a write job could not be followed to its end; the response cache starts a new generation, as it may have committed');
        await this.reportedCommitted([jobId]);
        return;
      }
      try {
        const status = await this.statusOf(jobId, source);
        // Unknown (null) or ended: followed no more. Committed was handled with the answer's header.
        if (status === null || FINISHED.has(status)) this.pending.delete(jobId);
      } catch (error) {
        this.logger.debug({ err: error, job: jobId, city: source.city }, 'asking for a followed write job failed; asking again');
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  }

  private async statusOf(jobId: string, source: FollowedJobSource): Promise<string | null> {
    const credential = await this.credentials.credentialFor(source.viewer, source.subgraph);
    const answer = await sendWithin(
      source.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
        body: JSON.stringify({ query: JOB_STATUS, variables: { representations: [{ __typename: 'Municipality', id: source.city }], id: jobId } }),
      },
      FOLLOW_WAIT_MS + source.timeoutMs,
      this.connections,
    );
    await this.reportedCommitted(committedJobsIn(answer.headers));
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
    const body = JSON.parse(answer.text) as { data?: { _entities?: Array<{ figureImportJob?: { status: string } | null } | null> } };
    const entities = body.data?._entities;
    if (!entities) throw new Error(`no answer: ${answer.text.slice(0, 200)}`);
    return entities[0]?.figureImportJob?.status ?? null;
  }
}
