import type { ApolloServerPlugin } from '@apollo/server';
import type { Messages } from '../../services/common/messages';
import type { GatewayContext } from '../context';

/**
 * Errors raised before the reader is known (query limits are checked during validation, with no request at hand)
 * carry both languages in `extensions.messages`; the message is the reader's.
 */
export function useLocalizedMessages(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const locale = contextValue.viewer.locale;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => {
            const messages = error.extensions?.messages as Partial<Messages> | undefined;
            const localized = messages?.[locale];
            return typeof localized === 'string' && localized !== error.message ? { ...error, message: localized } : error;
          });
        },
      };
    },
  };
}
