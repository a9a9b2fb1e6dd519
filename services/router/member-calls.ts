import type { Dispatcher } from 'undici';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayCredentialSigner } from '../common/auth/gateway-credential';
import { holdsWrite } from '../common/auth/operation-binding';
import type { Viewer } from '../common/auth/viewer';
import { errorExtensions } from '../common/error-codes';
import type { Logger } from '../common/logger';
import { CITY_SUBGRAPH } from '../common/routing/city-subgraph';
import { sendWithin } from '../common/routing/deadline';
import type { MemberDirectory } from '../common/routing/member-directory';
import type { RouteTargets, SubgraphReply, SubgraphRequest } from '../common/routing/route-by-key';
import { describeFailure, neverReached, unavailableError } from '../common/subgraph-errors';
import { WRITE_COMMITTED_HEADER, type WriteReceipt } from '../common/write-receipt';

/** What one request to the router brings to the calls it makes. */
export interface RouterContext {
  /** The viewer the caller's credential names: passed on unchanged in every credential the router signs. */
  viewer: Viewer;
  /**
   * Whom the caller's credential was addressed to: `city` (a gateway that sees one city subgraph) covers every
   * member; a member's id (a hub that calls each member on its own, as our gateway does) covers that member alone.
   */
  audience: string;
  /** Marked when a member's service committed a write, so that the caller learns it (services/common/write-receipt.ts). */
  writes: WriteReceipt;
}

/**
 * The router's calls to the members' services: each part of a request goes to its member's address from the
 * directory, with a credential the router signs for that member and that part (a write's bound to exactly the part
 * it sends), within the time limit. A member that does not answer gives one `CITY_UNAVAILABLE` error naming it,
 * never an exception: the other members' parts still count.
 */
export class MemberCalls {
  constructor(
    private readonly directory: MemberDirectory,
    private readonly signer: GatewayCredentialSigner,
    private readonly timeoutMs: number,
    private readonly connections: Dispatcher,
    private readonly logger: Logger,
  ) {}

  /** The targets of routeByKey for one request. */
  targets(context: RouterContext): RouteTargets {
    return { knows: (id) => this.directory.knows(id), send: (id, part) => this.send(id, part, context) };
  }

  private async send(id: string, part: SubgraphRequest, context: RouterContext): Promise<SubgraphReply> {
    const member = this.directory.address(id);
    if (!member) return { data: null, errors: [{ message: `No member municipality "${id}".`, extensions: errorExtensions('NOT_FOUND', { field: 'id', city: id }) }] };
    if (context.audience !== CITY_SUBGRAPH && context.audience !== id) {
      // A credential addressed to one member is as good as that member's own: it opens no other member's service.
      return {
        data: null,
        errors: [
          {
            message: `The credential was issued for ${context.audience}; it does not cover ${id}.`,
            extensions: errorExtensions('FORBIDDEN', { city: id, reason: 'gateway-credential-other-member' }),
          },
        ],
      };
    }
    const body = { query: part.query, operationName: part.operationName ?? undefined, variables: part.variables };
    const write = holdsWrite(part.query);
    const credential = write ? await this.signer.writeCredentialFor(context.viewer, id, body) : await this.signer.credentialFor(context.viewer, id);
    try {
      const answer = await sendWithin(
        member.url,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: JSON.stringify(body) },
        this.timeoutMs,
        this.connections,
      );
      // Whatever else it answered: only the member knows whether it committed, and the caller's cache depends on it.
      if (answer.headers[WRITE_COMMITTED_HEADER] === '1') context.writes.committed();
      context.writes.passOnJobs(answer.headers);
      if (answer.status < 200 || answer.status >= 300) {
        this.logger.warn({ city: id, status: answer.status, answer: answer.text.slice(0, 500) }, 'member refused the call');
        throw Object.assign(new Error(`${answer.status}: the member refused the call`), { status: answer.status });
      }
      return JSON.parse(answer.text) as SubgraphReply;
    } catch (error) {
      const reasons = describeFailure(error, this.timeoutMs);
      const reached = !neverReached(error);
      if (!('status' in (error as object))) this.logger.warn({ city: id, reason: reasons.en, err: error }, 'member call failed');
      const unavailable = unavailableError({ name: id, city: { id, name: member.name } }, reasons, context.viewer.locale, {
        ...(reached ? {} : { delivered: false as const }),
        ...(write ? { writeOutcome: reached ? ('UNKNOWN' as const) : ('NOT_WRITTEN' as const) } : {}),
      });
      return { data: null, errors: [unavailable.toJSON() as GraphQLFormattedError] };
    }
  }
}
