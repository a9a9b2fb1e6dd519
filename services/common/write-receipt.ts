import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * The response header by which a subgraph tells the gateway that a write of this request reached its commit. Only
 * then does the gateway end the sharing of reads in flight and start a new generation of its response cache
 * (gateway/transport/subgraph-data-source.ts): a refused write changes no figure, and must not empty the cache for everyone.
 */
export const WRITE_COMMITTED_HEADER = 'ifh-write-committed';

/**
 * Per request: whether a write reached its commit. The code that writes marks it as the last step inside its
 * transaction, so that a commit whose answer is lost between the service and its database still counts; a refusal,
 * a conflict or a replayed idempotent request never marks it.
 */
export class WriteReceipt {
  private reachedCommit = false;

  committed(): void {
    this.reachedCommit = true;
  }

  get any(): boolean {
    return this.reachedCommit;
  }
}

/** What a subgraph's context carries for the plugin below. */
export interface WritingContext {
  writes: WriteReceipt;
}

/** Sets `ifh-write-committed: 1` on the answer of a request that committed a write, whatever else it answers. */
export function useWriteCommittedHeader<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if ((contextValue as Partial<WritingContext>).writes?.any) response.http.headers.set(WRITE_COMMITTED_HEADER, '1');
        },
      };
    },
  };
}
