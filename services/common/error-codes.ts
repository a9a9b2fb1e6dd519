/**
 * Every `extensions.code` a client of the hub can read, in one place: the gateway and the services name a code only
 * as an `ErrorCode`, so that a misspelt one does not compile. docs/operations.md ("Error codes") lists the same codes;
 * a unit test (error-codes.test.ts) keeps the two alike.
 */
export const ERROR_CODES = [
  // The request
  /** A value the request gives is refused: a figure out of range, an import's row, an idempotency key reused with other figures, `from` after `to`. */
  'BAD_USER_INPUT',
  /** The HTTP request is not a GraphQL request: its body is not JSON, or the body parser refused it otherwise. */
  'BAD_REQUEST',
  /** The request body is larger than `REQUEST_MAX_BYTES` (HTTP 413). */
  'REQUEST_TOO_LARGE',
  /** A query nested deeper than `QUERY_MAX_DEPTH` (HTTP 400, before anything is fetched). */
  'QUERY_TOO_DEEP',
  /** A query with more aliases than `QUERY_MAX_ALIASES`. */
  'TOO_MANY_ALIASES',
  /** A document longer than `QUERY_MAX_TOKENS` tokens. */
  'TOO_MANY_TOKENS',
  /** A query whose estimated cost is over `QUERY_MAX_COST`. */
  'QUERY_TOO_COSTLY',
  /** A query with more directives than `QUERY_MAX_DIRECTIVES`. */
  'TOO_MANY_DIRECTIVES',
  /** An anonymous query of the schema (`__schema`, `__type`) where `INTROSPECTION_ANONYMOUS=false` (HTTP 403). */
  'INTROSPECTION_DISABLED',
  /** Too many requests from one user or address (HTTP 429), or too many refused writes without a token at one subgraph. */
  'RATE_LIMITED',

  // Who asks
  /** No token where one is needed, or a token or gateway credential that is refused (HTTP 401 with `extensions.reason`). */
  'UNAUTHENTICATED',
  /** A valid token whose roles do not allow this field or write (`extensions.required`, `extensions.granted`). */
  'FORBIDDEN',

  // What is stored
  /** A write that contradicts what is stored: figures for a year that has some, without `correctsRevision`, or a correction of a revision that is no longer the latest. */
  'CONFLICT',
  /** An id that names no member city. */
  'NOT_FOUND',
  /** An administrator asks the hub to issue a token where it trusts an identity provider, which issues them instead. */
  'NOT_AVAILABLE',

  // The federation
  /** Forum-wide progress asked of the forum subgraph directly: only the gateway brings the cities' figures it needs. */
  'GATEWAY_REQUIRED',
  /** The member list changed while the request ran (the gateway's figures no longer pair with the members); ask again. */
  'MEMBERS_CHANGED',
  /** A member city's figures are missing (its service or database did not answer): one error per city, with `extensions.city`. */
  'CITY_UNAVAILABLE',
  /** The forum's subgraph (not a city's) did not answer. */
  'SUBGRAPH_UNAVAILABLE',
  /** A subgraph cannot take the request now: what it checks credentials against (Redis) is unavailable (HTTP 503). */
  'SERVICE_UNAVAILABLE',
  /** A subgraph's database did not answer. */
  'DATABASE_UNAVAILABLE',
  /** An error the service did not anticipate; logged in full, the client reads a short message. */
  'INTERNAL_SERVER_ERROR',

  // Apollo Server's and Apollo Gateway's own, passed on as they are
  /** The document is not valid GraphQL syntax (Apollo Server). */
  'GRAPHQL_PARSE_FAILED',
  /** The document does not fit the schema: an unknown field, a missing argument (Apollo Server). */
  'GRAPHQL_VALIDATION_FAILED',
  /** The request names an operation the document does not hold, or holds several and names none (Apollo Server). */
  'OPERATION_RESOLUTION_FAILURE',
  /** An automatic persisted query's hash the gateway has not seen yet: send the query with it (Apollo Server). */
  'PERSISTED_QUERY_NOT_FOUND',
  /** A subgraph's error that carried no code of its own (Apollo Gateway); the hub's subgraphs always give one. */
  'DOWNSTREAM_SERVICE_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The `extensions` of an error the hub raises: a known code, and whatever the error adds. */
export interface ErrorExtensions {
  code: ErrorCode;
  [key: string]: unknown;
}

/** `extensions` with `code` first; `extra` may not carry a code of its own. */
export function errorExtensions<Extra extends Record<string, unknown> & { code?: never }>(code: ErrorCode, extra?: Extra): { code: ErrorCode } & Extra {
  return { code, ...(extra ?? ({} as Extra)) };
}

const KNOWN = new Set<string>(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}

/** Whether `value` is `code`; a misspelt code does not compile. */
export function isCode(value: unknown, code: ErrorCode): boolean {
  return value === code;
}

/** Whether an error carries `code` in its extensions. */
export function hasErrorCode(error: { readonly extensions?: { readonly [key: string]: unknown } | null } | undefined, code: ErrorCode): boolean {
  return isCode(error?.extensions?.code, code);
}
