import { GraphQLError } from 'graphql';
import type { ErrorExtensions } from './error-codes';

/** A message in both languages of the hub: German first for municipal staff, English for everyone else. */
export interface Messages {
  de: string;
  en: string;
}

/**
 * A GraphQL error whose `message` is in the reader's language and whose `extensions.messages` carries both, so
 * a dashboard can show either without asking again.
 */
export function localizedError(locale: 'de' | 'en', messages: Messages, extensions: ErrorExtensions): GraphQLError {
  return new GraphQLError(messages[locale], { extensions: { ...extensions, messages } });
}
