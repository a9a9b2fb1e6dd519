import type { GraphQLError } from 'graphql';
import { localizedError, type Messages } from './messages';

/** One refused value: the input field (e.g. `units[2].respondents`) and why, in German and English. */
export interface Problem {
  field: string;
  messages: Messages;
}

/**
 * A refused input: one error carrying every problem, which the subgraph turns into one `BAD_USER_INPUT` error
 * per field before it answers (see plugins/use-expanded-validation-errors.ts).
 */
export function validationError(locale: 'de' | 'en', problems: Problem[]): GraphQLError {
  return localizedError(
    locale,
    { de: `${problems.length} Wert(e) abgelehnt; nichts wurde gespeichert.`, en: `${problems.length} value(s) refused; nothing was saved.` },
    { code: 'BAD_USER_INPUT', problems },
  );
}
