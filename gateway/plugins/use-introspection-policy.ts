import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, visit, type DocumentNode } from 'graphql';
import { isAnonymous } from '../../services/common/auth/viewer';
import { localizedError } from '../../services/common/messages';
import type { GatewayContext } from '../context';
import type { ErrorCode } from '../../services/common/error-codes';

export const INTROSPECTION_DISABLED = 'INTROSPECTION_DISABLED' satisfies ErrorCode;

/**
 * Signed-in users may always read the schema (GraphiQL, code generators); anonymous callers only where the
 * operator allows it (`INTROSPECTION_ANONYMOUS`). Answered 403 before anything is fetched.
 * @param allowAnonymous from services/common/limits.ts; @default true
 */
export function useIntrospectionPolicy(allowAnonymous: boolean): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      if (allowAnonymous) return;
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!isAnonymous(contextValue.viewer) || !readsTheSchema(document)) return;
          throw localizedError(
            contextValue.viewer.locale,
            {
              de: 'Das Schema können hier nur angemeldete Nutzerinnen und Nutzer abfragen; bitte mit Token anfragen.',
              en: 'Only signed-in users may query the schema here; send a token.',
            },
            { code: INTROSPECTION_DISABLED, http: { status: 403 } },
          );
        },
      };
    },
  };
}

/** `__typename` tells nothing about the schema and every client asks for it; `__schema` and `__type` do. */
export function readsTheSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(field) {
      if (field.name.value === '__schema' || field.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}
