import { useLocale } from '../i18n';

export interface ProvenanceInfo {
  kind: 'OFFICIAL' | 'SUBMITTED' | 'ESTIMATE';
  source: string | null;
  note?: string | null;
}

/** Where a figure comes from, always visible: estimates are marked, sources link to the page's list of sources. */
export function ProvenanceBadge({ provenance, sourceIndex }: { provenance: ProvenanceInfo; sourceIndex?: (source: string) => number }) {
  const { t } = useLocale();
  const number = provenance.source && sourceIndex ? sourceIndex(provenance.source) : undefined;
  return (
    <span className={`badge badge-${provenance.kind.toLowerCase()}`} title={provenance.note ?? provenance.source ?? undefined}>
      {t(provenance.kind)}
      {number !== undefined && (
        <>
          {' '}
          <a href={`#quelle-${number}`} aria-label={`${t('sources')} ${number}`}>
            [{number}]
          </a>
        </>
      )}
    </span>
  );
}
