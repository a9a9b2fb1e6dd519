import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Messages } from '../messages';
import { errorExtensions, hasErrorCode } from '../error-codes';

interface Problem {
  field: string;
  messages: Messages;
}

/**
 * One GraphQL error per refused value. A resolver can throw only one error, so a refused submission throws one
 * carrying `extensions.problems`; this turns it into one `BAD_USER_INPUT` error per field, each naming the
 * field, so that a form can put every message next to its input.
 */
export function useExpandedValidationErrors(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const locale = (contextValue as { viewer?: { locale?: 'de' | 'en' } }).viewer?.locale ?? 'en';
          response.body.singleResult.errors = response.body.singleResult.errors.flatMap((error) => expand(error, locale));
        },
      };
    },
  };
}

export function expand(error: GraphQLFormattedError, locale: 'de' | 'en'): GraphQLFormattedError[] {
  const problems = error.extensions?.problems as Problem[] | undefined;
  if (!hasErrorCode(error, 'BAD_USER_INPUT') || !Array.isArray(problems)) return [error];
  return problems.map((problem) => ({
    message: problem.messages[locale],
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: errorExtensions('BAD_USER_INPUT', { field: problem.field, messages: problem.messages }),
  }));
}
