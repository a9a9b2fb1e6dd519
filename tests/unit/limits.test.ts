/**
 * The limits' configuration (services/common/limits.ts) and the pieces of the gateway that depend on wording
 * from graphql-js (gateway/query-limits.ts, gateway/plugins/use-hidden-suggestions.ts): an upgrade that changes
 * the wording must fail here, not silently turn TOO_MANY_TOKENS back into GRAPHQL_PARSE_FAILED.
 */
import { buildSchema, parse, validate, type GraphQLError } from 'graphql';
import { withoutSuggestions } from '../../gateway/plugins/use-hidden-suggestions';
import { readsTheSchema } from '../../gateway/plugins/use-introspection-policy';
import { withLimitCode } from '../../gateway/query-limits';
import { readLimits, subgraphLimits } from '../../services/common/limits';

describe('readLimits', () => {
  it('has defaults that fit the dashboard and the contract queries', () => {
    expect(readLimits({})).toEqual({
      query: { maxDepth: 10, maxAliases: 30, maxTokens: 2000, maxCost: 3000, maxDirectives: 20 },
      requestBodyBytes: 2 * 1024 * 1024,
      requestTimeoutMs: 30_000,
      rateLimit: { windowMs: 60_000, perAddress: 600, perUser: 600, trustProxy: false },
      corsOrigins: [],
      anonymousIntrospection: true,
      audit: { anonymousRefusalsPerMinute: 60 },
    });
  });

  it('reads every setting', () => {
    const limits = readLimits({
      QUERY_MAX_DEPTH: '6',
      RATE_LIMIT_PER_ADDRESS: '0',
      TRUST_PROXY: 'loopback',
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
      INTROSPECTION_ANONYMOUS: 'false',
      AUDIT_ANONYMOUS_REFUSALS_PER_MINUTE: '0',
    });
    expect(limits.query.maxDepth).toBe(6);
    expect(limits.rateLimit).toMatchObject({ perAddress: 0, trustProxy: 'loopback' });
    expect(limits.corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(limits.anonymousIntrospection).toBe(false);
    expect(limits.audit.anonymousRefusalsPerMinute).toBe(0);
  });

  it('stops start-up on a bad value, naming the variable', () => {
    expect(() => readLimits({ CORS_ORIGINS: 'https://a.example/dashboard' })).toThrow(/CORS_ORIGINS="https:\/\/a.example\/dashboard": expected origins/);
    expect(() => readLimits({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => readLimits({ QUERY_MAX_DEPTH: '0' })).toThrow(/QUERY_MAX_DEPTH="0"/);
    expect(() => readLimits({ RATE_LIMIT_PER_USER: '-1' })).toThrow(/RATE_LIMIT_PER_USER="-1"/);
    expect(() => readLimits({ AUDIT_ANONYMOUS_REFUSALS_PER_MINUTE: 'many' })).toThrow(/AUDIT_ANONYMOUS_REFUSALS_PER_MINUTE="many"/);
  });

  it("gives subgraphs room above the gateway's body limit, and the bound on anonymous audit rows", () => {
    expect(subgraphLimits({ REQUEST_MAX_BYTES: '1000' }).requestBodyBytes).toBeGreaterThan(1000);
    expect(subgraphLimits({ AUDIT_ANONYMOUS_REFUSALS_PER_MINUTE: '5' }).audit).toEqual({ anonymousRefusalsPerMinute: 5 });
  });
});

describe('withLimitCode', () => {
  it("recognises graphql-js's token limit", () => {
    let error: GraphQLError | undefined;
    try {
      parse('{ a b c d e f }', { maxTokens: 5 });
    } catch (thrown) {
      error = thrown as GraphQLError;
    }
    const formatted = withLimitCode({ message: error!.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, error);
    expect(formatted.extensions).toMatchObject({ code: 'TOO_MANY_TOKENS', limit: 5 });
  });

  it('leaves other parse and validation errors alone', () => {
    const formatted = { message: 'Syntax Error: Unexpected "}".', extensions: { code: 'GRAPHQL_PARSE_FAILED' } };
    expect(withLimitCode(formatted, new Error('x'))).toBe(formatted);
  });
});

describe('field suggestions and introspection', () => {
  const schema = buildSchema('type Query { name: String, names: [String], forum: Forum } type Forum { id: ID }');

  it('removes every suggestion graphql-js makes, and only that', () => {
    const [error] = validate(schema, parse('{ nam }'));
    expect(error!.message).toMatch(/Did you mean/);
    expect(withoutSuggestions(error!.message)).toBe('Cannot query field "nam" on type "Query".');
    expect(withoutSuggestions('Cannot query field "x" on type "Query".')).toBe('Cannot query field "x" on type "Query".');
  });

  it('finds __schema and __type anywhere, ignores __typename and aliases', () => {
    expect(readsTheSchema(parse('{ __schema { types { name } } }'))).toBe(true);
    expect(readsTheSchema(parse('query { ...F } fragment F on Query { forum { id } __type(name: "Forum") { name } }'))).toBe(true);
    expect(readsTheSchema(parse('{ forum { __typename __schema: id } }'))).toBe(false);
  });
});
