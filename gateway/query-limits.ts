import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext, type ValidationRule } from 'graphql';
import type { Messages } from '../services/common/messages';
import type { QueryLimits } from '../services/common/limits';
import { isCode, type ErrorCode } from '../services/common/error-codes';

/** Stable codes of refused queries, one per limit; the HTTP status is 400. */
export const LIMIT_CODES = {
  depth: 'QUERY_TOO_DEEP',
  aliases: 'TOO_MANY_ALIASES',
  tokens: 'TOO_MANY_TOKENS',
  cost: 'QUERY_TOO_COSTLY',
  directives: 'TOO_MANY_DIRECTIVES',
} as const satisfies Record<string, ErrorCode>;
type Limit = keyof typeof LIMIT_CODES;

const DESCRIPTIONS: Record<Limit, Messages> = {
  depth: { de: 'ist zu tief verschachtelt', en: 'is nested too deeply' },
  aliases: { de: 'enthält zu viele Aliase', en: 'has too many aliases' },
  tokens: { de: 'ist zu lang', en: 'is too long' },
  cost: { de: 'ist zu aufwendig', en: 'is too costly' },
  directives: { de: 'enthält zu viele Direktiven', en: 'has too many directives' },
};

export function limitError(limit: Limit, allowed: number, found?: number): GraphQLError {
  const { de, en } = DESCRIPTIONS[limit];
  const messages: Messages = {
    de: `Die Abfrage ${de} (erlaubt: ${allowed}${found === undefined ? '' : `, gefunden: ${found}`}).`,
    en: `The query ${en} (allowed: ${allowed}${found === undefined ? '' : `, found: ${found}`}).`,
  };
  return new GraphQLError(messages.en, { extensions: { code: LIMIT_CODES[limit], limit: allowed, ...(found === undefined ? {} : { found }), messages } });
}

/** graphql-armor reports "... limit of 10 exceeded, found 12."; the figure found is all we take from its message. */
function reportAs(limit: Limit, allowed: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
    context?.reportError(limitError(limit, allowed, found === undefined ? undefined : Math.round(Number(found))));
  };
}

/**
 * Validation rules for depth, aliases, cost and directives (graphql-armor), and graphql-js's own token limit for
 * the parser: armor's token plugin throws from a hook, which Apollo Server 5 answers with HTTP 500.
 */
export function queryLimitOptions(limits: QueryLimits): { validationRules: ValidationRule[]; parseOptions: { maxTokens: number } } {
  const reject = (limit: Limit, allowed: number) => ({ propagateOnRejection: false, onReject: [reportAs(limit, allowed)] });
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...reject('depth', limits.maxDepth) },
    maxAliases: { n: limits.maxAliases, ...reject('aliases', limits.maxAliases) },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...reject('cost', limits.maxCost) },
    maxDirectives: { n: limits.maxDirectives, ...reject('directives', limits.maxDirectives) },
    maxTokens: { enabled: false },
    // Suggestions are hidden per viewer (useAnonymousSchemaPrivacy), not for everyone.
    blockFieldSuggestion: { enabled: false },
  });
  return { validationRules: armor.protect().validationRules, parseOptions: { maxTokens: limits.maxTokens } };
}

// graphql-js 16 words it "more that"; a later release may fix the typo.
const TOKEN_LIMIT = /^Syntax Error: Document contains more th(?:at|an) (\d+) tokens/;

/**
 * Apollo Server gives every validation error the code GRAPHQL_VALIDATION_FAILED and every parse error
 * GRAPHQL_PARSE_FAILED; a refused limit keeps its own code so that clients can tell "too deep" from "misspelt".
 */
export function withLimitCode(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isCode(code, 'GRAPHQL_VALIDATION_FAILED')) {
    const original = (error as GraphQLError | undefined)?.originalError;
    const originalCode = original instanceof GraphQLError ? original.extensions.code : undefined;
    if (typeof originalCode === 'string' && Object.values(LIMIT_CODES).includes(originalCode as (typeof LIMIT_CODES)[Limit])) {
      return { ...formatted, extensions: { ...formatted.extensions, code: originalCode } };
    }
  }
  if (isCode(code, 'GRAPHQL_PARSE_FAILED')) {
    const allowed = TOKEN_LIMIT.exec(formatted.message)?.[1];
    if (allowed !== undefined) {
      const refused = limitError('tokens', Number(allowed));
      return { message: refused.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: refused.extensions };
    }
  }
  return formatted;
}
