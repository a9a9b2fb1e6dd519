import { z } from 'zod';
import { env, readEnv } from './config';

/**
 * Every limit the hub puts on its callers, in one place (documented in docs/configuration.md, "Limits").
 * The query limits are generous for the dashboard and the contract queries (the deepest nests 5 levels, the
 * costliest scores about 120) and still stop a query built to exhaust the gateway or the cities behind it.
 */
export interface Limits {
  query: QueryLimits;
  /** Largest request body (JSON) accepted, in bytes; a CSV import of 10,000 rows is about 600 KB. */
  requestBodyBytes: number;
  /** A request not answered by then is cut off: slow clients must not hold connections open. */
  requestTimeoutMs: number;
  rateLimit: RateLimits;
  /** Browser origins other than the hub's own that may call `/graphql` (CORS). */
  corsOrigins: string[];
  /** Whether a request without a token may read the schema (`__schema`, `__type`). Signed-in users always may. */
  anonymousIntrospection: boolean;
  audit: AuditLimits;
}

export interface AuditLimits {
  /**
   * Refused write attempts without a token that one subgraph process writes to its audit log per minute; beyond
   * them such attempts fail with `RATE_LIMITED`, unexecuted and unaudited (services/common/audit/anonymous-refusals.ts).
   * @default 60
   */
  anonymousRefusalsPerMinute: number;
}

export interface QueryLimits {
  /** Deepest nesting of fields in one operation. @default 10 */
  maxDepth: number;
  /** Aliased fields in one operation. @default 30 */
  maxAliases: number;
  /** Lexical tokens in one document (names, punctuation, values). @default 2000 */
  maxTokens: number;
  /** Estimated cost (graphql-armor's model: objects 2, scalars 1, ×1.5 per level). @default 3000 */
  maxCost: number;
  /** Directives in one operation. @default 20 */
  maxDirectives: number;
}

export interface RateLimits {
  /** Length of the window the counts below apply to. @default 60000 */
  windowMs: number;
  /** Requests per window from one address without a token; 0 turns the limit off. @default 600 */
  perAddress: number;
  /** Requests per window with one user's token, wherever they come from; 0 turns the limit off. @default 600 */
  perUser: number;
  /** Which proxies' `X-Forwarded-For` to believe for the client address (Express `trust proxy`); unset: none. */
  trustProxy: string | false;
}

const SUBGRAPH_BODY_HEADROOM_BYTES = 256 * 1024;

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}, 'expected origins such as https://dashboard.example (scheme, host and port only), separated by commas');

export function readLimits(source: NodeJS.ProcessEnv = process.env): Limits {
  const values = readEnv(
    {
      QUERY_MAX_DEPTH: env.positiveInt(10),
      QUERY_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
      QUERY_MAX_TOKENS: env.positiveInt(2000),
      QUERY_MAX_COST: env.positiveInt(3000),
      QUERY_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
      REQUEST_MAX_BYTES: env.positiveInt(2 * 1024 * 1024),
      REQUEST_TIMEOUT_MS: env.positiveInt(30_000),
      RATE_LIMIT_WINDOW_MS: env.positiveInt(60_000),
      RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(600),
      RATE_LIMIT_PER_USER: z.coerce.number().int().min(0).default(600),
      TRUST_PROXY: z.string().min(1).optional(),
      CORS_ORIGINS: z
        .string()
        .default('')
        .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
        .pipe(z.array(origin)),
      INTROSPECTION_ANONYMOUS: env.boolean(true),
      AUDIT_ANONYMOUS_REFUSALS_PER_MINUTE: z.coerce.number().int().min(0).default(60),
    },
    source,
  );
  return {
    query: {
      maxDepth: values.QUERY_MAX_DEPTH,
      maxAliases: values.QUERY_MAX_ALIASES,
      maxTokens: values.QUERY_MAX_TOKENS,
      maxCost: values.QUERY_MAX_COST,
      maxDirectives: values.QUERY_MAX_DIRECTIVES,
    },
    requestBodyBytes: values.REQUEST_MAX_BYTES,
    requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
    rateLimit: {
      windowMs: values.RATE_LIMIT_WINDOW_MS,
      perAddress: values.RATE_LIMIT_PER_ADDRESS,
      perUser: values.RATE_LIMIT_PER_USER,
      trustProxy: values.TRUST_PROXY ?? false,
    },
    corsOrigins: values.CORS_ORIGINS,
    anonymousIntrospection: values.INTROSPECTION_ANONYMOUS,
    audit: { anonymousRefusalsPerMinute: values.AUDIT_ANONYMOUS_REFUSALS_PER_MINUTE },
  };
}

/**
 * What a subgraph enforces: only the gateway calls it, which has applied every other limit already, and the bound on
 * what anonymous callers can make it write to its audit log. Its body limit is the gateway's plus room for the query
 * plan's own text around the same variables.
 */
export function subgraphLimits(source: NodeJS.ProcessEnv = process.env): Pick<Limits, 'requestBodyBytes' | 'requestTimeoutMs' | 'audit'> {
  const limits = readLimits(source);
  return { requestBodyBytes: limits.requestBodyBytes + SUBGRAPH_BODY_HEADROOM_BYTES, requestTimeoutMs: limits.requestTimeoutMs, audit: limits.audit };
}

/**
 * Room for one member's yearly headline counts in the forum's request for forum-wide progress (@requires): about 5 KB
 * for the 15 years of the demo data, so 16 KiB leaves room for decades.
 */
export const REQUIRED_FIGURES_BYTES_PER_MEMBER = 16 * 1024;
/** The members the forum's body limit makes room for by default: every municipality of NRW (396), and hubs of hubs. */
export const FORUM_BODY_MEMBERS = 1_000;

/**
 * What the forum subgraph enforces. Its request for forum-wide progress carries every member's yearly counts, which
 * the gateway gathered: it grows with the number of members, past any limit sized for a user's request (1,000
 * members: about 5 MB). So its body limit is a subgraph's plus room for `FORUM_BODY_MEMBERS` members, or
 * `FORUM_REQUEST_MAX_BYTES`.
 */
export function forumLimits(source: NodeJS.ProcessEnv = process.env): Pick<Limits, 'requestBodyBytes' | 'requestTimeoutMs' | 'audit'> {
  const limits = subgraphLimits(source);
  const { FORUM_REQUEST_MAX_BYTES } = readEnv({ FORUM_REQUEST_MAX_BYTES: env.positiveInt(limits.requestBodyBytes + FORUM_BODY_MEMBERS * REQUIRED_FIGURES_BYTES_PER_MEMBER) }, source);
  return { ...limits, requestBodyBytes: FORUM_REQUEST_MAX_BYTES };
}
