import { useMemo } from 'react';
import { useLocale } from '../i18n';
import { sourceLink, splitAtLink } from '../source-links';

/** Sources cited on a page, numbered in order of first use, so that each figure can link to its entry. */
export function useSources(sources: ReadonlyArray<string | null | undefined>) {
  return useMemo(() => {
    const unique = [...new Set(sources.filter((source): source is string => !!source))];
    return { sources: unique, indexOf: (source: string) => unique.indexOf(source) + 1 };
  }, [sources]);
}

/** A source as text, with the part that names a web address or site as a link. */
export function SourceText({ source }: { source: string }) {
  const link = sourceLink(source);
  if (!link) return <>{source}</>;
  const [before, linked, after] = splitAtLink(source, link);
  return (
    <>
      {before}
      <a href={link.href} rel="external noreferrer">
        {linked}
      </a>
      {after}
    </>
  );
}

/** The page's numbered list of sources; figures link to the entries (#quelle-1, …), the entries to the sources. */
export function SourceList({ sources, id = 'sources-heading' }: { sources: readonly string[]; id?: string }) {
  const { t } = useLocale();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{t('sources')}</h2>
      {sources.length === 0 ? (
        <p>{t('noSources')}</p>
      ) : (
        <ol className="sources">
          {sources.map((source, index) => (
            <li key={source} id={`quelle-${index + 1}`}>
              <SourceText source={source} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
