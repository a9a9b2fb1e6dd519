/**
 * Where a cited source can be opened. Sources are free text as the cities and the demo data cite them ("WAZ, article
 * 232358759", "essen.de, page 'migration' (…)", a plain address): the part of the text that names something on the web
 * becomes a link, the rest stays text. No address is made up: a newspaper article cited by its number links to the
 * newspaper's site, not to a guessed article address. Plain strings, no imports,
 * so that a unit test can compile it.
 */

export interface SourceLink {
  /** The part of the source text that becomes the link. */
  start: number;
  end: number;
  href: string;
}

/** Publications cited by name rather than by address, as they open their citations (name at the start). */
const PUBLICATIONS: Array<{ pattern: RegExp; href: string }> = [
  { pattern: /^WAZ\b/, href: 'https://www.waz.de/' },
  { pattern: /^NRZ\b/, href: 'https://www.nrz.de/' },
  { pattern: /^Destatis\b/, href: 'https://www.destatis.de/' },
];

const URL_PATTERN = /https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:]/;
/** A host name such as essen.de or statistik.lwl.org, optionally with a path. */
const HOST_PATTERN = /(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:de|org|com|net|eu|info))(\/[\w\-./%]*[\w\-/%])?(?![\w-])/i;
const WIKIPEDIA_PATTERN = /^Wikipedia, '([^']+)'/;

export function sourceLink(source: string): SourceLink | null {
  const url = URL_PATTERN.exec(source);
  if (url) return { start: url.index, end: url.index + url[0].length, href: url[0] };
  const wikipedia = WIKIPEDIA_PATTERN.exec(source);
  if (wikipedia) {
    return { start: 0, end: wikipedia[0].length, href: `https://de.wikipedia.org/wiki/${encodeURIComponent(wikipedia[1]!.replaceAll(' ', '_'))}` };
  }
  for (const publication of PUBLICATIONS) {
    const match = publication.pattern.exec(source);
    if (match) return { start: match.index, end: match.index + match[0].length, href: publication.href };
  }
  const host = HOST_PATTERN.exec(source);
  if (host) return { start: host.index, end: host.index + host[0].length, href: `https://${host[0]}` };
  return null;
}

/** The source text in three parts: before the link, the link's text, after it. */
export function splitAtLink(source: string, link: SourceLink): [string, string, string] {
  return [source.slice(0, link.start), source.slice(link.start, link.end), source.slice(link.end)];
}
