import type { GraphQLErrorEntry } from '../api';
import { useLocale } from '../i18n';

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
