import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * The response header by which a subgraph tells the gateway that a write of this request reached its commit. Only
 * then does the gateway end the sharing of reads in flight and start a new generation of its response cache
 * (gateway/transport/subgraph-data-source.ts): a refused write changes no figure, and must not empty the cache for everyone.
 */
export const WRITE_COMMITTED_HEADER = 'ifh-write-committed';

/**
 * Write jobs (a figure import) commit after their request was answered. The answer that accepted one names it in
 * `ifh-write-job` as `<city>/<job id>` (comma-separated when several); the gateway that forwarded it follows the job
 * until it ends (gateway/transport/write-jobs.ts). A member router passes both headers on (services/router). Any
 * answer that reports a job as committed names it in `ifh-write-job-committed`: the gateway following it starts a new
 * generation at once if it has not yet, so that the writer never learns of the commit before the cache does.
 */
export const WRITE_JOB_ACCEPTED_HEADER = 'ifh-write-job';
export const WRITE_JOB_COMMITTED_HEADER = 'ifh-write-job-committed';

/**
 * Per request: whether a write reached its commit. The code that writes marks it as the last step inside its
 * transaction, so that a commit whose answer is lost between the service and its database still counts; a refusal,
 * a conflict or a replayed idempotent request never marks it.
 */
export class WriteReceipt {
  private reachedCommit = false;
  /** Write jobs this request started, which commit later: `<city>/<job id>`. */
  readonly jobsAccepted: string[] = [];
  /** Write jobs this request reported as committed. */
  readonly jobsCommitted: string[] = [];

  committed(): void {
    this.reachedCommit = true;
  }

  jobAccepted(city: string, id: string): void {
    this.jobsAccepted.push(`${city}/${id}`);
  }

  /** Takes on what a member's answer said of its write jobs (`ifh-write-job`, `ifh-write-job-committed`), for a router. */
  passOnJobs(headers: Record<string, string | string[] | undefined>): void {
    this.jobsAccepted.push(...headerList(headers[WRITE_JOB_ACCEPTED_HEADER]));
    this.jobsCommitted.push(...headerList(headers[WRITE_JOB_COMMITTED_HEADER]));
  }

  jobCommitted(id: string): void {
    this.jobsCommitted.push(id);
  }

  get any(): boolean {
    return this.reachedCommit;
  }
}

/** The entries of a comma-separated header, as an HTTP client hands it over (one value, several, or none). */
export function headerList(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** What a subgraph's context carries for the plugin below. */
export interface WritingContext {
  writes: WriteReceipt;
}

/**
 * Sets `ifh-write-committed: 1` on the answer of a request that committed a write, whatever else it answers, and
 * names the write jobs it started or reported committed.
 */
export function useWriteCommittedHeader<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const writes = (contextValue as Partial<WritingContext>).writes;
          if (writes?.any) response.http.headers.set(WRITE_COMMITTED_HEADER, '1');
          if (writes?.jobsAccepted.length) response.http.headers.set(WRITE_JOB_ACCEPTED_HEADER, writes.jobsAccepted.join(','));
          if (writes?.jobsCommitted.length) response.http.headers.set(WRITE_JOB_COMMITTED_HEADER, writes.jobsCommitted.join(','));
        },
      };
    },
  };
}
