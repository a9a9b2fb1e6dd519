import type { GraphQLErrorEntry } from '../api';
import { useLocale } from '../i18n';
import { answerAgeNoticeSeconds } from '../session';

/**
 * Figures the gateway answered from its cache, once they are older than the hub's notice age (a minute by default):
 * how old they are, so that nobody takes them for the latest. The oldest answer of the page counts.
 */
export function AgeNotice({ ages }: { ages: ReadonlyArray<number | null> }) {
  const { t } = useLocale();
  const oldest = Math.max(0, ...ages.filter((age): age is number => age !== null));
  if (oldest < answerAgeNoticeSeconds()) return null;
  const minutes = Math.floor(oldest / 60);
  const age = minutes >= 1 ? `${minutes} ${t('minutesShort')}` : `${oldest} s`;
  return (
    <p className="notice notice-info" data-testid="answer-age">
      {t('answerAge').replace('{age}', age)}
    </p>
  );
}

/** Errors of a partial answer: which city is missing, in the reader's language. The rest of the page still shows. */
export function ErrorNotice({ errors }: { errors: GraphQLErrorEntry[] }) {
  const { locale, t } = useLocale();
  if (errors.length === 0) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>{t('loadFailed')}</p>
      <ul>
        {errors.map((error, index) => (
          <li key={index}>{error.extensions?.messages?.[locale] ?? error.message}</li>
        ))}
      </ul>
    </div>
  );
}

export function Loading() {
  const { t } = useLocale();
  return (
    <p className="loading" role="status">
      {t('loading')}
    </p>
  );
}
