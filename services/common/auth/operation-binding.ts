import { createHash } from 'node:crypto';
import { Kind, parse } from 'graphql';

/** What a GraphQL request over HTTP asks to run: the fields of its JSON body that decide what is executed. */
export interface GraphQLOperation {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/**
 * JSON with the keys of every object in sorted order (by UTF-16 code units), no whitespace, and strings and numbers
 * as `JSON.stringify` writes them: for values that `JSON.parse` yields, this is RFC 8785's JSON Canonicalization
 * Scheme. Sender and receiver compute it from the values, so it does not matter how a router in between orders the
 * keys of the body it sends on. Properties whose value is `undefined` are left out, as `JSON.stringify` leaves them out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * The digest a write credential is bound to: SHA-256 (base64url) over the canonical JSON of the operation's text,
 * its name and its variables, `{"operationName":...,"query":...,"variables":...}`. A missing name counts as `null`
 * and missing variables as `{}`, which GraphQL servers treat alike. The gateway computes it from the request it is
 * about to send, the subgraph from the body it received: a credential captured on the wire is good for no other
 * operation, and no other variables.
 */
export function operationDigest(operation: GraphQLOperation): string {
  // A round trip through JSON first, so that the gateway digests exactly the values the subgraph will parse.
  const variables = operation.variables === undefined || operation.variables === null ? {} : JSON.parse(JSON.stringify(operation.variables));
  const canonical = canonicalJson({ operationName: operation.operationName ?? null, query: operation.query ?? null, variables });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Documents seen before and whether they write; the gateway sends the same few operations of its query plans again and again. */
const knownDocuments = new Map<string, boolean>();
const MAX_KNOWN_DOCUMENTS = 1_000;
/** Larger documents are parsed each time: whoever holds a read credential must not fill this memory with megabytes. */
const MAX_REMEMBERED_DOCUMENT_LENGTH = 16 * 1024;

/**
 * Whether a GraphQL document holds an operation other than a query (a mutation, or a subscription). Decided by
 * parsing it, so that comments, whitespace or a second operation chosen by `operationName` cannot disguise a write
 * as a read. A document that does not parse holds no operation: every server refuses it before anything runs.
 */
export function holdsWrite(document: unknown): boolean {
  if (typeof document !== 'string') return false;
  const known = knownDocuments.get(document);
  if (known !== undefined) return known;
  let writes: boolean;
  try {
    writes = parse(document, { noLocation: true }).definitions.some(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation !== 'query',
    );
  } catch {
    writes = false;
  }
  if (document.length > MAX_REMEMBERED_DOCUMENT_LENGTH) return writes;
  if (knownDocuments.size >= MAX_KNOWN_DOCUMENTS) knownDocuments.clear();
  knownDocuments.set(document, writes);
  return writes;
}
