import type { Request } from 'express';
import { z } from 'zod';
import type { GatewayCredentialSigner } from '../common/auth/gateway-credential';
import { holdsWrite } from '../common/auth/operation-binding';
import { localeFrom, type Viewer } from '../common/auth/viewer';
import { Unauthenticated } from '../common/http-service';
import type { Messages } from '../common/messages';
import type { ErrorCode } from '../common/error-codes';

/**
 * Apollo Router's coprocessor protocol (version 1), at the one stage this coprocessor serves: SubgraphRequest, just
 * before the router calls a subgraph. Header names arrive in lower case, each with its list of values.
 */
export const subgraphRequestPayload = z.object({
  version: z.literal(1),
  stage: z.literal('SubgraphRequest'),
  id: z.string().optional(),
  subgraphRequestId: z.string().optional(),
  // Required: without the request's headers the user's token is unknown, and an answer with headers replaces them all.
  headers: z.record(z.string(), z.array(z.string())),
  serviceName: z.string().min(1),
  // The subgraph request's body (schema/router.yaml sends it): a write's credential is bound to its operation and
  // variables. Without it every credential is a read credential, which the subgraphs refuse for writes.
  body: z
    .object({ query: z.string().optional(), operationName: z.string().nullish(), variables: z.record(z.string(), z.unknown()).nullish() })
    .loose()
    .optional(),
});
export type SubgraphRequestPayload = z.infer<typeof subgraphRequestPayload>;

type Echoed = Pick<SubgraphRequestPayload, 'version' | 'stage' | 'id' | 'subgraphRequestId'>;

/** Send the request on, with these headers in place of the router's. */
export type ContinueAnswer = Echoed & { control: 'continue'; headers: Record<string, string[]> };
/** Do not call the subgraph: the router takes `body` as the subgraph's answer. */
export type BreakAnswer = Echoed & {
  control: { break: number };
  body: { errors: Array<{ message: string; extensions: { code: ErrorCode; reason: string; messages: Messages } }> };
};

/** Who the client's request names, from its Authorization and Accept-Language headers; throws `Unauthenticated` to refuse. */
export type Authenticate = (request: Request) => Promise<Viewer>;

/**
 * Replaces the user's token on a subgraph request with the gateway's credential for that one subgraph, carrying the
 * verified user, exactly as our gateway's SubgraphDataSource does: a reusable read credential, or for a write one
 * bound to the body the router sends (its operation and variables) and good once. A token that is present but not valid gets no
 * credential: the router answers the subgraph's part with one `UNAUTHENTICATED` error, as the gateway would the whole
 * request.
 */
export async function answerSubgraphRequest(
  payload: SubgraphRequestPayload,
  authenticate: Authenticate,
  credentials: GatewayCredentialSigner,
): Promise<ContinueAnswer | BreakAnswer> {
  const echoed: Echoed = { version: payload.version, stage: payload.stage, id: payload.id, subgraphRequestId: payload.subgraphRequestId };
  const header = (name: string) => {
    const values = Object.entries(payload.headers).filter(([key]) => key.toLowerCase() === name).flatMap(([, list]) => list);
    // Two Authorization headers join into a value that is no bearer token, and are refused as malformed.
    return values.length > 0 ? values.join(', ') : undefined;
  };
  const clientHeaders = { authorization: header('authorization'), 'accept-language': header('accept-language') };

  let viewer: Viewer;
  try {
    // The shared authentication reads nothing of a request but these two headers.
    viewer = await authenticate({ headers: clientHeaders } as unknown as Request);
  } catch (error) {
    if (!(error instanceof Unauthenticated)) throw error;
    const locale = localeFrom(clientHeaders['accept-language']);
    return {
      ...echoed,
      control: { break: 401 },
      body: { errors: [{ message: error.messages[locale], extensions: { code: 'UNAUTHENTICATED', reason: error.reason, messages: error.messages } }] },
    };
  }

  const credential = holdsWrite(payload.body?.query)
    ? await credentials.writeCredentialFor(viewer, payload.serviceName, payload.body!)
    : await credentials.credentialFor(viewer, payload.serviceName);
  const headers = Object.fromEntries(Object.entries(payload.headers).filter(([key]) => key.toLowerCase() !== 'authorization'));
  return { ...echoed, control: 'continue', headers: { ...headers, authorization: [`Bearer ${credential}`] } };
}
