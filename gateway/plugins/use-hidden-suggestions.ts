import type { ApolloServerPlugin } from '@apollo/server';
import { isAnonymous } from '../../services/common/auth/viewer';
import type { GatewayContext } from '../context';

/** graphql-js appends `Did you mean "staffSeries", "staff", or "stafff"?` to unknown names; names hold no `?`. */
const SUGGESTION = /\s*Did you mean [^?]+\?/g;

/**
 * Anonymous callers get no field suggestions: with introspection off they would reveal the schema name by name.
 * Signed-in users keep them, which is what makes GraphiQL helpful.
 */
export function useHiddenSuggestions(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          if (!isAnonymous(contextValue.viewer)) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
            const message = withoutSuggestions(error.message);
            return message === error.message ? error : { ...error, message };
          });
        },
      };
    },
  };
}

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}
