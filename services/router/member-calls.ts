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
   * Whom the caller's credential was addressed to, of those this router accepts: `city` (a gateway that sees one city
   * subgraph) covers every member; a member's id (a hub that calls each member on its own, as our gateway does) covers
   * that member alone; several members' ids (a hub that asks this router for all of them in one call) cover those.
   */
  audiences: readonly string[];
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
    return {
      knows: (id) => this.directory.knows(id),
      endpointOf: (id) => this.directory.address(id)?.url ?? id,
      send: (members, part) => this.send(members, part, context),
    };
  }

  /** One call to the endpoint that answers for `members` (one member's service, or a hub in front of several). */
  private async send(members: readonly string[], part: SubgraphRequest, context: RouterContext): Promise<SubgraphReply> {
    const addresses = members.map((id) => this.directory.address(id));
    const unknown = members.filter((_, index) => addresses[index] === undefined);
    if (unknown.length > 0) {
      return { data: null, errors: unknown.map((id) => ({ message: `No member municipality "${id}".`, extensions: errorExtensions('NOT_FOUND', { field: 'id', city: id }) })) };
    }
    const uncovered = members.filter((id) => !context.audiences.includes(CITY_SUBGRAPH) && !context.audiences.includes(id));
    if (uncovered.length > 0) {
      // A credential addressed to some members is as good as theirs: it opens no other member's service, and a call
      // for several is refused whole rather than answered in part.
      return {
        data: null,
        errors: members.map((id) => ({
          message: `The credential was issued for ${context.audiences.join(', ')}; it does not cover ${uncovered.join(', ')}.`,
          extensions: errorExtensions('FORBIDDEN', { city: id, reason: 'gateway-credential-other-member' }),
        })),
      };
    }
    const url = addresses[0]!.url;
    const body = { query: part.query, operationName: part.operationName ?? undefined, variables: part.variables };
    const write = holdsWrite(part.query);
    const audience = members.length === 1 ? members[0]! : members;
    const credential = write ? await this.signer.writeCredentialFor(context.viewer, audience, body) : await this.signer.credentialFor(context.viewer, audience);
    try {
      const answer = await sendWithin(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: JSON.stringify(body) },
        this.timeoutMs,
        this.connections,
      );
      // Whatever else it answered: only the member knows whether it committed, and the caller's cache depends on it.
      if (answer.headers[WRITE_COMMITTED_HEADER] === '1') context.writes.committed();
      context.writes.passOnJobs(answer.headers);
      if (answer.status < 200 || answer.status >= 300) {
        this.logger.warn({ cities: members, status: answer.status, answer: answer.text.slice(0, 500) }, 'member refused the call');
        throw Object.assign(new Error(`${answer.status}: the member refused the call`), { status: answer.status });
      }
      return JSON.parse(answer.text) as SubgraphReply;
    } catch (error) {
      const reasons = describeFailure(error, this.timeoutMs);
      const reached = !neverReached(error);
      if (!('status' in (error as object))) this.logger.warn({ cities: members, url, reason: reasons.en, err: error }, 'member call failed');
      // One error for each member the call was for: a hub in front of several that is down reports each of its cities.
      const errors = addresses.map((member) =>
        unavailableError({ name: member!.id, city: { id: member!.id, name: member!.name } }, reasons, context.viewer.locale, {
          ...(reached ? {} : { delivered: false as const }),
          ...(write ? { writeOutcome: reached ? ('UNKNOWN' as const) : ('NOT_WRITTEN' as const) } : {}),
        }).toJSON() as GraphQLFormattedError,
      );
      return { data: null, errors };
    }
  }
}
